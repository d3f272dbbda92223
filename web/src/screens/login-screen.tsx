/** Sign in with name and password; the session cookie does the rest. */

import { useState } from "preact/hooks";
import type { SessionResponse } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";

export function LoginScreen({ onDone }: { onDone: (s: SessionResponse) => void }) {
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await api.login({ name: name.trim(), password, remember }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth">
      <form class="card auth-card" onSubmit={(e) => void submit(e)} data-testid="login-form">
        <h1>Layerwatch</h1>
        <label>
          Name
          <input
            data-testid="login-name"
            aria-label="Name"
            autocomplete="username"
            required
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            data-testid="login-password"
            aria-label="Password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        <label class="check">
          <input
            type="checkbox"
            data-testid="login-remember"
            aria-label="Keep me signed in"
            checked={remember}
            onChange={(e) => setRemember(e.currentTarget.checked)}
          />
          Keep me signed in for 30 days
        </label>
        {error ? (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          class="btn btn-primary"
          data-testid="login-submit"
          aria-label="Sign in"
          disabled={busy}
        >
          Sign in
        </button>
      </form>
    </main>
  );
}
