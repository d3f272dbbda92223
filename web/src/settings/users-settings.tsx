/** Users and roles (admins): list, add, change role, disable, delete. */

import { useCallback, useEffect, useState } from "preact/hooks";
import type { UserDto } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { Select, TextInput } from "../components/form-fields.tsx";
import { attempt, useLive } from "../state/live.ts";

const ROLES: UserDto["role"][] = ["viewer", "operator", "admin"];
const roleOptions = () =>
  ROLES.map((r) => (
    <option key={r} value={r}>
      {r}
    </option>
  ));

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
            <Select
              label={`Role of ${u.name}`}
              testid="user-role"
              value={u.role}
              onValue={(r) => {
                void attempt(
                  () => api.updateUser(u.id, { role: r as UserDto["role"] }),
                  `${u.name} is now ${r}`,
                ).then(load);
              }}
            >
              {roleOptions()}
            </Select>
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
              confirm={`Delete ${u.name}, their sessions and API keys?`}
              confirmYes="Delete"
              onClick={() => attempt(() => api.deleteUser(u.id)).then(load)}
            >
              Delete
            </ActionButton>
          </li>
        ))}
      </ul>
      <form class="stack" onSubmit={(e) => void add(e)}>
        <h3>Add a user</h3>
        <TextInput
          required
          placeholder="Name"
          label="New user's name"
          testid="user-new-name"
          value={name}
          onValue={setName}
        />
        <TextInput
          required
          type="password"
          minLength={8}
          autocomplete="new-password"
          placeholder="Password (8+ characters)"
          label="New user's password"
          testid="user-new-password"
          value={password}
          onValue={setPassword}
        />
        <Select
          label="New user's role"
          testid="user-new-role"
          value={role}
          onValue={(r) => setRole(r as UserDto["role"])}
        >
          {roleOptions()}
        </Select>
        <button type="submit" class="btn btn-primary" data-testid="user-add" aria-label="Add the user">
          Add user
        </button>
      </form>
    </section>
  );
}
