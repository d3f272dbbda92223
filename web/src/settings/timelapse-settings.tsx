/** Time-lapse: mode, interval, stabilisation, video frame rate and post-roll. */

import { useEffect, useState } from "preact/hooks";
import type { TimelapseSettingsDto } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { attempt, usePermission } from "../state/live.ts";

function NumberField(props: {
  label: string;
  testid: string;
  value: number;
  min: number;
  max: number;
  disabled: boolean;
  onChange: (n: number) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        type="number"
        min={props.min}
        max={props.max}
        step="any"
        value={props.value}
        disabled={props.disabled}
        data-testid={props.testid}
        aria-label={props.label}
        onInput={(e) => props.onChange(Number(e.currentTarget.value))}
      />
    </label>
  );
}

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
      <label>
        Mode
        <select
          value={form.mode}
          disabled={dis}
          data-testid="timelapse-mode"
          aria-label="Time-lapse mode"
          onChange={(e) => setForm({ ...form, mode: e.currentTarget.value as TimelapseSettingsDto["mode"] })}
        >
          <option value="off">Off</option>
          <option value="layer">A frame per layer</option>
          <option value="timed">Timed</option>
        </select>
      </label>
      {form.mode === "timed" ? (
        <NumberField
          label="Seconds between frames"
          testid="timelapse-interval"
          value={form.intervalSeconds}
          min={1}
          max={3600}
          disabled={dis}
          onChange={(n) => setForm({ ...form, intervalSeconds: n })}
        />
      ) : null}
      {form.mode === "layer" ? (
        <label class="check">
          <input
            type="checkbox"
            checked={form.stabilize}
            disabled={dis}
            data-testid="timelapse-stabilize"
            aria-label="Park the head for each frame"
            onChange={(e) => setForm({ ...form, stabilize: e.currentTarget.checked })}
          />
          Park the head for each frame
        </label>
      ) : null}
      <NumberField
        label="Minimum seconds between frames"
        testid="timelapse-min-interval"
        value={form.minIntervalSeconds}
        min={0}
        max={3600}
        disabled={dis}
        onChange={(n) => setForm({ ...form, minIntervalSeconds: n })}
      />
      <NumberField
        label="Video frames per second"
        testid="timelapse-fps"
        value={form.fps}
        min={1}
        max={120}
        disabled={dis}
        onChange={(n) => setForm({ ...form, fps: n })}
      />
      <NumberField
        label="Hold the last frame (s)"
        testid="timelapse-postroll"
        value={form.postRollSeconds}
        min={0}
        max={60}
        disabled={dis}
        onChange={(n) => setForm({ ...form, postRollSeconds: n })}
      />
      {canWrite ? (
        <ActionButton testid="timelapse-save" label="Save" variant="primary" onClick={save} />
      ) : null}
    </section>
  );
}
