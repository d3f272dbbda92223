/** Time-lapse: mode, interval, stabilisation, video frame rate and post-roll. */

import { useEffect, useState } from "preact/hooks";
import type { TimelapseSettingsDto } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { CheckField, NumberField, SelectField } from "../components/form-fields.tsx";
import { attempt, usePermission } from "../state/live.ts";

export function TimelapseSettings() {
  const canWrite = usePermission("camera:write");
  const [form, setForm] = useState<TimelapseSettingsDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.timelapseSettings().then(setForm, (e) => setError(errorMessage(e)));
  }, []);
  if (error) return <p class="card error">{error}</p>;
  if (!form) return null;
  const dis = !canWrite;
  const save = () =>
    attempt(async () => {
      const { mode, intervalSeconds, stabilize, fps, postRollSeconds, minIntervalSeconds } = form;
      setForm(
        await api.patchTimelapseSettings({
          mode,
          intervalSeconds,
          stabilize,
          fps,
          postRollSeconds,
          minIntervalSeconds,
        }),
      );
    }, "Time-lapse settings saved");

  return (
    <section class="card" aria-label="Time-lapse settings" data-testid="settings-timelapse">
      <h2>Time-lapse</h2>
      <SelectField
        label="Time-lapse mode"
        caption="Mode"
        testid="timelapse-mode"
        value={form.mode}
        disabled={dis}
        onValue={(v) => setForm({ ...form, mode: v as TimelapseSettingsDto["mode"] })}
      >
        <option value="off">Off</option>
        <option value="layer">A frame per layer</option>
        <option value="timed">Timed</option>
      </SelectField>
      {form.mode === "timed" ? (
        <NumberField
          label="Seconds between frames"
          testid="timelapse-interval"
          value={form.intervalSeconds}
          min={1}
          max={3600}
          step="any"
          disabled={dis}
          onValue={(n) => setForm({ ...form, intervalSeconds: n })}
        />
      ) : null}
      {form.mode === "layer" ? (
        <CheckField
          label="Park the head for each frame"
          testid="timelapse-stabilize"
          checked={form.stabilize}
          disabled={dis}
          onValue={(on) => setForm({ ...form, stabilize: on })}
        />
      ) : null}
      <NumberField
        label="Minimum seconds between frames"
        testid="timelapse-min-interval"
        value={form.minIntervalSeconds}
        min={0}
        max={3600}
        step="any"
        disabled={dis}
        onValue={(n) => setForm({ ...form, minIntervalSeconds: n })}
      />
      <NumberField
        label="Video frames per second"
        testid="timelapse-fps"
        value={form.fps}
        min={1}
        max={120}
        step="any"
        disabled={dis}
        onValue={(n) => setForm({ ...form, fps: n })}
      />
      <NumberField
        label="Hold the last frame (s)"
        testid="timelapse-postroll"
        value={form.postRollSeconds}
        min={0}
        max={60}
        step="any"
        disabled={dis}
        onValue={(n) => setForm({ ...form, postRollSeconds: n })}
      />
      {canWrite ? (
        <ActionButton testid="timelapse-save" label="Save" variant="primary" onClick={save} />
      ) : null}
    </section>
  );
}
