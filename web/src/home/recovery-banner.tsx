/** An interrupted print: resume from a layer, or discard it. */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { NumberField } from "../components/form-fields.tsx";
import { GatedButton } from "../components/gated-button.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";

export function RecoveryBanner() {
  const interrupted = useLive((s) => s.interrupted);
  const canControl = usePermission("print:control");
  const [layer, setLayer] = useState(1);
  useEffect(() => {
    if (interrupted) setLayer(Math.max(1, interrupted.layer));
  }, [interrupted]);
  if (!interrupted) return null;
  return (
    <section class="banner banner-alert" role="alert" data-testid="recovery-banner">
      <p>
        <strong>Interrupted print:</strong> <span class="file-name">{interrupted.file}</span> stopped at layer{" "}
        {interrupted.layer}/{interrupted.layerCount} (Z {interrupted.z.toFixed(2)} mm)
        {interrupted.reason ? ` — ${interrupted.reason}` : ""}.
      </p>
      {canControl ? (
        <div class="row wrap">
          <NumberField
            inline
            label="Layer to resume from"
            caption="Layer"
            testid="recovery-layer"
            min={1}
            max={interrupted.layer}
            value={layer}
            onValue={setLayer}
          />
          <GatedButton
            gate="resumeRecovery"
            testid="recovery-resume"
            label={`Resume from layer ${layer}`}
            variant="primary"
            onClick={() => attempt(() => api.resumeFromLayer(layer))}
          />
          <ActionButton
            testid="recovery-discard"
            label="Discard"
            confirm={`Discard the interrupted print of ${interrupted.file}?`}
            confirmYes="Discard"
            onClick={() => attempt(api.discardRecovery, "Discarded")}
          />
        </div>
      ) : null}
    </section>
  );
}
