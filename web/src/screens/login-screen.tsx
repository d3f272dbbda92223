/** Sign in with name and password; the session cookie does the rest. */

import { useState } from "preact/hooks";
import type { SessionResponse } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { AuthForm, NameField, PasswordField } from "../components/auth-form.tsx";
import { CheckField } from "../components/form-fields.tsx";

export function LoginScreen({ onDone }: { onDone: (s: SessionResponse) => void }) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(false);

  return (
    <AuthForm
      testid="login"
      title="Layerwatch"
      submitLabel="Sign in"
      send={() => api.login({ name: name.trim(), password, remember })}
      onDone={onDone}
    >
      <NameField testid="login-name" value={name} onValue={setName} />
      <PasswordField testid="login-password" value={password} onValue={setPassword} />
      <CheckField
        label="Keep me signed in"
        caption="Keep me signed in for 30 days"
        testid="login-remember"
        checked={remember}
        onValue={setRemember}
      />
    </AuthForm>
  );
}
