/** First boot: the one-time setup code from the daemon's log creates the first admin. */

import { useState } from "preact/hooks";
import type { SessionResponse } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";

export function SetupScreen({ onDone }: { onDone: (s: SessionResponse) => void }) {
  const [code, setCode] = useState("");
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await api.setup({ code: code.trim(), name: name.trim(), password }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth">
      <form class="card auth-card" onSubmit={(e) => void submit(e)} data-testid="setup-form">
        <h1>Welcome to Layerwatch</h1>
        <p class="muted">
          Enter the setup code from the daemon's log (<code>setupCode</code>) and choose the first admin's
          name and password.
        </p>
        <label>
          Setup code
          <input
            data-testid="setup-code"
            aria-label="Setup code"
            autocomplete="one-time-code"
            autocapitalize="characters"
            required
            value={code}
            onInput={(e) => setCode(e.currentTarget.value)}
          />
        </label>
        <label>
          Name
          <input
            data-testid="setup-name"
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
            data-testid="setup-password"
            aria-label="Password"
            type="password"
            autocomplete="new-password"
            minLength={8}
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error ? (
          <p class="error" role="alert" data-testid="setup-error">
            {error}
          </p>
        ) : null}
        <button
          type="submit"
          class="btn btn-primary"
          data-testid="setup-submit"
          aria-label="Create admin"
          disabled={busy}
        >
          Create admin
        </button>
      </form>
    </main>
  );
}
