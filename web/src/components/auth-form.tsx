/** The signed-out card form (login, first setup): fields, error, one busy-aware submit button; name and password fields. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import type { SessionResponse } from "../../../server/api/contract.ts";
import { errorMessage } from "../api/client.ts";
import { ErrorAlert } from "./error-alert.tsx";
import { TextField } from "./form-fields.tsx";

interface Props {
  /** Prefix of the test ids: `${testid}-form`, `-error`, `-submit`. */
  testid: string;
  title: string;
  submitLabel: string;
  send: () => Promise<SessionResponse>;
  onDone: (s: SessionResponse) => void;
  children: ComponentChildren;
}

export function AuthForm({ testid, title, submitLabel, send, onDone, children }: Props) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      onDone(await send());
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="auth">
      <form class="card auth-card" onSubmit={(e) => void submit(e)} data-testid={`${testid}-form`}>
        <h1>{title}</h1>
        {children}
        <ErrorAlert error={error} testid={`${testid}-error`} />
        <button
          type="submit"
          class="btn btn-primary"
          data-testid={`${testid}-submit`}
          aria-label={submitLabel}
          disabled={busy}
        >
          {submitLabel}
        </button>
      </form>
    </main>
  );
}

interface CredentialProps {
  testid: string;
  value: string;
  onValue: (v: string) => void;
}

export function NameField(props: CredentialProps) {
  return <TextField label="Name" autocomplete="username" required {...props} />;
}

/** `isNew`: a password being chosen (8+ characters), not one being entered. */
export function PasswordField({ isNew, ...props }: CredentialProps & { isNew?: boolean }) {
  return (
    <TextField
      label="Password"
      type="password"
      autocomplete={isNew ? "new-password" : "current-password"}
      minLength={isNew ? 8 : undefined}
      required
      {...props}
    />
  );
}
