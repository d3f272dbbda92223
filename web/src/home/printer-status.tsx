/** The printer's state and firmware; connect/disconnect for those who may. */
import { api } from "../api/client.ts";
import { GatedButton } from "../components/gated-button.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";

export function PrinterStatus() {
  const state = useLive((s) => s.state);
  const reason = useLive((s) => s.stateReason);
  const firmware = useLive((s) => s.firmware);
  const canSend = usePermission("commands:send");
  return (
    <section class="card status-card" aria-label="Printer">
      <div class="row between">
        <span
          role="status"
          class={`state-pill state-${state ?? "unknown"}`}
          data-testid="printer-state"
          aria-label={`Printer state: ${state ?? "unknown"}`}
        >
          {state ?? "…"}
        </span>
        {canSend && (state === "disconnected" || state === "error") ? (
          <GatedButton
            gate="connect"
            testid="connect"
            label="Connect"
            variant="primary"
            onClick={() => attempt(() => api.connect())}
          />
        ) : null}
      </div>
      <p class="muted small" data-testid="printer-reason">
        {reason}
        {firmware ? ` · ${firmware.name}` : ""}
      </p>
    </section>
  );
}
