/** Pause behaviour (admins): where pause and cancel park the head, and when a paused print cools. */

import { useEffect, useState } from "preact/hooks";
import type { SettingsResponse } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { NumberField } from "../components/form-fields.tsx";
import { notify } from "../state/live.ts";

type Jobs = SettingsResponse["jobs"];

export function PauseSettings({
  settings,
  onSaved,
}: {
  settings: SettingsResponse;
  onSaved: (s: SettingsResponse) => void;
}) {
  const [jobs, setJobs] = useState<Jobs>(settings.jobs);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setJobs(settings.jobs), [settings]);
  const park = (change: Partial<Jobs["park"]>) => setJobs({ ...jobs, park: { ...jobs.park, ...change } });
  const save = async () => {
    setError(null);
    try {
      onSaved(await api.patchSettings({ jobs }));
      notify("info", "Pause behaviour saved");
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section class="card" aria-label="Pause behaviour" data-testid="settings-pause">
      <h2>Pause behaviour</h2>
      <div class="row wrap fields">
        <NumberField
          label="Park X (mm)"
          testid="park-x"
          value={jobs.park.x}
          min={-1000}
          max={2000}
          step="any"
          onValue={(x) => park({ x })}
        />
        <NumberField
          label="Park Y (mm)"
          testid="park-y"
          value={jobs.park.y}
          min={-1000}
          max={2000}
          step="any"
          onValue={(y) => park({ y })}
        />
      </div>
      <NumberField
        label="Cool down after pause (minutes, 0: never)"
        testid="cool-after"
        value={jobs.coolAfterPauseMinutes}
        min={0}
        max={24 * 60}
        onValue={(n) => setJobs({ ...jobs, coolAfterPauseMinutes: n })}
      />
      {error ? (
        <p class="error" role="alert" data-testid="pause-error">
          {error}
        </p>
      ) : null}
      <ActionButton testid="pause-save" label="Save pause behaviour" variant="primary" onClick={save}>
        Save
      </ActionButton>
    </section>
  );
}
