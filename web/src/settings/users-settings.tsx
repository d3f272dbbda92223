/** Users and roles (admins): list, add, change role, disable, delete. */

import { useCallback, useEffect, useState } from "preact/hooks";
import type { UserDto } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { attempt, useLive } from "../state/live.ts";

const ROLES: UserDto["role"][] = ["viewer", "operator", "admin"];

export function UsersSettings() {
  const me = useLive((s) => s.session?.user.id);
  const [users, setUsers] = useState<UserDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<UserDto["role"]>("operator");

  const load = useCallback(async () => {
    try {
      setUsers((await api.users()).users);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => void load(), [load]);

  const add = async (e: Event) => {
    e.preventDefault();
    if (await attempt(() => api.createUser({ name: name.trim(), password, role }), `Added ${name}`)) {
      setName("");
      setPassword("");
      await load();
    }
  };

  return (
    <section class="card" aria-label="Users" data-testid="settings-users">
      <h2>Users</h2>
      {error ? <p class="error">{error}</p> : null}
      <ul class="list">
        {users?.map((u) => (
          <li key={u.id} class="user-row" data-testid="user-row" data-user={u.name}>
            <span class="file-name">
              {u.name}
              {u.id === me ? " (you)" : ""}
              {u.disabled ? " · disabled" : ""}
            </span>
            <select
              value={u.role}
              data-testid="user-role"
              aria-label={`Role of ${u.name}`}
              onChange={(e) => {
                const r = e.currentTarget.value as UserDto["role"];
                void attempt(() => api.updateUser(u.id, { role: r }), `${u.name} is now ${r}`).then(load);
              }}
            >
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <ActionButton
              testid="user-disable"
              label={u.disabled ? `Enable ${u.name}` : `Disable ${u.name}`}
              onClick={() => attempt(() => api.updateUser(u.id, { disabled: !u.disabled })).then(load)}
            >
              {u.disabled ? "Enable" : "Disable"}
            </ActionButton>
            <ActionButton
              testid="user-delete"
              label={`Delete ${u.name}`}
              onClick={async () => {
                if (await confirmAction(`Delete ${u.name}, their sessions and API keys?`, "Delete"))
                  await attempt(() => api.deleteUser(u.id)).then(load);
              }}
            >
              Delete
            </ActionButton>
          </li>
        ))}
      </ul>
      <form class="stack" onSubmit={(e) => void add(e)}>
        <h3>Add a user</h3>
        <input
          required
          placeholder="Name"
          value={name}
          data-testid="user-new-name"
          aria-label="New user's name"
          onInput={(e) => setName(e.currentTarget.value)}
        />
        <input
          required
          type="password"
          minLength={8}
          autocomplete="new-password"
          placeholder="Password (8+ characters)"
          value={password}
          data-testid="user-new-password"
          aria-label="New user's password"
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <select
          value={role}
          data-testid="user-new-role"
          aria-label="New user's role"
          onChange={(e) => setRole(e.currentTarget.value as UserDto["role"])}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" class="btn btn-primary" data-testid="user-add" aria-label="Add the user">
          Add user
        </button>
      </form>
    </section>
  );
}
