/** The signed-in user's API keys (slicers, scripts): create (shown once), revoke. */

import { useCallback, useEffect, useState } from "preact/hooks";
import type { ApiKeyDto } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { TextInput } from "../components/form-fields.tsx";
import { attempt } from "../state/live.ts";
import { dateTime } from "../util/format.ts";

export function ApiKeysSettings() {
  const [keys, setKeys] = useState<ApiKeyDto[]>([]);
  const [name, setName] = useState("");
  const [created, setCreated] = useState<string | null>(null);
  const load = useCallback(() => attempt(async () => setKeys((await api.apiKeys()).apiKeys)), []);
  useEffect(() => void load(), [load]);

  const create = async (e: Event) => {
    e.preventDefault();
    await attempt(async () => {
      const res = await api.createApiKey(name.trim());
      setCreated(res.key);
      setName("");
    });
    await load();
  };

  return (
    <section class="card" aria-label="API keys" data-testid="settings-api-keys">
      <h2>My API keys</h2>
      {created ? (
        <div class="banner banner-info" data-testid="api-key-created">
          <p>Copy this key now; it is not shown again:</p>
          <code class="key">{created}</code>
          <button
            type="button"
            class="btn btn-plain btn-small"
            data-testid="api-key-dismiss"
            aria-label="Hide the key"
            onClick={() => setCreated(null)}
          >
            Done
          </button>
        </div>
      ) : null}
      <ul class="list">
        {keys.map((k) => (
          <li key={k.id} class="user-row" data-testid="api-key-row">
            <span class="file-name">
              {k.name} <span class="muted small">{k.hint}</span>
            </span>
            <span class="small muted">{k.lastUsedAt ? `used ${dateTime(k.lastUsedAt)}` : "never used"}</span>
            <ActionButton
              testid="api-key-revoke"
              label={`Revoke ${k.name}`}
              confirm={`Revoke the key ${k.name}?`}
              confirmYes="Revoke"
              onClick={() => attempt(() => api.revokeApiKey(k.id)).then(load)}
            >
              Revoke
            </ActionButton>
          </li>
        ))}
      </ul>
      <form class="row" onSubmit={(e) => void create(e)}>
        <TextInput
          class="grow"
          required
          maxLength={64}
          placeholder="Key name, e.g. PrusaSlicer"
          label="New key's name"
          testid="api-key-name"
          value={name}
          onValue={setName}
        />
        <button
          type="submit"
          class="btn btn-primary"
          data-testid="api-key-create"
          aria-label="Create an API key"
        >
          Create
        </button>
      </form>
    </section>
  );
}
