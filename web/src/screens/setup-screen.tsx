/** First boot: the one-time setup code from the daemon's log creates the first admin. */

import { useState } from "preact/hooks";
import type { SessionResponse } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { AuthForm, NameField, PasswordField } from "../components/auth-form.tsx";
import { TextField } from "../components/form-fields.tsx";

export function SetupScreen({ onDone }: { onDone: (s: SessionResponse) => void }) {
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");

  return (
    <AuthForm
      testid="setup"
      title="Welcome to Layerwatch"
      submitLabel="Create admin"
      send={() => api.setup({ code: code.trim(), name: name.trim(), password })}
      onDone={onDone}
    >
      <p class="muted">
        Enter the setup code from the daemon's log (<code>setupCode</code>) and choose the first admin's name
        and password.
      </p>
      <TextField
        label="Setup code"
        testid="setup-code"
        autocomplete="one-time-code"
        autocapitalize="characters"
        required
        value={code}
        onValue={setCode}
      />
      <NameField testid="setup-name" value={name} onValue={setName} />
      <PasswordField isNew testid="setup-password" value={password} onValue={setPassword} />
    </AuthForm>
  );
}
