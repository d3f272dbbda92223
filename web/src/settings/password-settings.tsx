/** My password (every signed-in user): current and new; the session carries on with a new one. */

import { useState } from "preact/hooks";
import { api, errorMessage } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { TextField } from "../components/form-fields.tsx";
import { notify, renewSession } from "../state/live.ts";

export function PasswordSettings() {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [error, setError] = useState<string | null>(null);
  const tooShort = next.length > 0 && next.length < 8;
  const save = async () => {
    setError(null);
    try {
      await renewSession(
        async () => (await api.changePassword({ currentPassword: current, newPassword: next })).session,
      );
      setCurrent("");
      setNext("");
      notify("info", "Password changed");
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section class="card" aria-label="My password" data-testid="settings-password">
      <h2>My password</h2>
      <form
        class="col"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <TextField
          label="Current password"
          testid="password-current"
          type="password"
          autocomplete="current-password"
          value={current}
          onValue={setCurrent}
        />
        <TextField
          label="New password (8 characters or more)"
          caption="New password"
          testid="password-new"
          type="password"
          autocomplete="new-password"
          minLength={8}
          value={next}
          onValue={setNext}
        />
        {error ? (
          <p class="error" role="alert" data-testid="password-error">
            {error}
          </p>
        ) : null}
        <ActionButton
          testid="password-save"
          label="Change password"
          variant="primary"
          blocked={
            current === "" || next === ""
              ? "enter your current and new password"
              : tooShort
                ? "the new password needs 8 characters or more"
                : null
          }
          onClick={save}
        />
      </form>
    </section>
  );
}
