/** An interrupted print: resume from a layer, or discard it. */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";
import { blockedBy } from "../util/gate.ts";

export function RecoveryBanner() {
  const interrupted = useLive((s) => s.interrupted);
  const state = useLive((s) => s.state);
  const canControl = usePermission("print:control");
  const [layer, setLayer] = useState(1);
  useEffect(() => {
    if (interrupted) setLayer(Math.max(1, interrupted.layer));
  }, [interrupted]);
  if (!interrupted) return null;
  const discard = async () => {
    if (await confirmAction(`Discard the interrupted print of ${interrupted.file}?`, "Discard"))
      await attempt(api.discardRecovery, "Discarded");
  };
  return (
    <section class="banner banner-alert" role="alert" data-testid="recovery-banner">
      <p>
        <strong>Interrupted print:</strong> <span class="file-name">{interrupted.file}</span> stopped at layer{" "}
        {interrupted.layer}/{interrupted.layerCount} (Z {interrupted.z.toFixed(2)} mm)
        {interrupted.reason ? ` — ${interrupted.reason}` : ""}.
      </p>
      {canControl ? (
        <div class="row wrap">
          <label class="inline">
            Layer
            <input
              type="number"
              min={1}
              max={interrupted.layer}
              value={layer}
              data-testid="recovery-layer"
              aria-label="Layer to resume from"
              onInput={(e) => setLayer(Number(e.currentTarget.value))}
            />
          </label>
          <ActionButton
            testid="recovery-resume"
            label={`Resume from layer ${layer}`}
            variant="primary"
            blocked={blockedBy("resumeRecovery", state)}
            onClick={() => attempt(() => api.resumeFromLayer(layer))}
          />
          <ActionButton testid="recovery-discard" label="Discard" onClick={discard} />
        </div>
      ) : null}
    </section>
  );
}
