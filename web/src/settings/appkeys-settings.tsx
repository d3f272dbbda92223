/** Apps asking for a key (OctoPrint's app-keys flow): approve or deny. */

import { useCallback, useEffect, useState } from "preact/hooks";
import type { PendingAppKeyDto } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { attempt } from "../state/live.ts";
import { dateTime } from "../util/format.ts";

export function AppKeysSettings({ highlight }: { highlight: string | null }) {
  const [pending, setPending] = useState<PendingAppKeyDto[]>([]);
  const load = useCallback(() => attempt(async () => setPending((await api.pendingAppKeys()).pending)), []);
  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), 3000);
    return () => clearInterval(timer);
  }, [load]);
  if (pending.length === 0 && highlight === null) return null;
  return (
    <section class="card" aria-label="App key requests" data-testid="settings-appkeys">
      <h2>Apps asking for access</h2>
      {pending.length === 0 ? <p class="muted">No requests waiting (it may have expired).</p> : null}
      <ul class="list">
        {pending.map((p) => (
          <li
            key={p.id}
            class={`user-row${p.id === highlight ? " highlight" : ""}`}
            data-testid="appkey-row"
            data-id={p.id}
          >
            <span class="file-name">
              <strong>{p.app}</strong> {p.user ? `for ${p.user}` : ""}{" "}
              <span class="small muted">
                from {p.ip}, {dateTime(p.createdAt)}
              </span>
            </span>
            <ActionButton
              testid="appkey-approve"
              label={`Allow ${p.app}`}
              variant="primary"
              onClick={() => attempt(() => api.approveAppKey(p.id), `${p.app} allowed`).then(load)}
            >
              Allow
            </ActionButton>
            <ActionButton
              testid="appkey-deny"
              label={`Deny ${p.app}`}
              onClick={() => attempt(() => api.denyAppKey(p.id)).then(load)}
            >
              Deny
            </ActionButton>
          </li>
        ))}
      </ul>
    </section>
  );
}
