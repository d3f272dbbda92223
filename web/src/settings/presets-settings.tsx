/** Temperature presets (admins): edit, remove, add; saved as a whole list. */

import { useEffect, useState } from "preact/hooks";
import type { SettingsResponse } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { NumberField, TextField } from "../components/form-fields.tsx";
import { notify } from "../state/live.ts";

type Preset = SettingsResponse["temperaturePresets"][number];
type Row = Preset & { key: number };

let nextKey = 0;
const toRows = (presets: Preset[]): Row[] => presets.map((p) => ({ ...p, key: nextKey++ }));

export function PresetsSettings({
  settings,
  onSaved,
}: {
  settings: SettingsResponse;
  onSaved: (s: SettingsResponse) => void;
}) {
  const [rows, setRows] = useState<Row[]>(() => toRows(settings.temperaturePresets));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setRows(toRows(settings.temperaturePresets)), [settings]);

  const update = (key: number, change: Partial<Preset>) =>
    setRows(rows.map((r) => (r.key === key ? { ...r, ...change } : r)));
  const add = () => setRows([...rows, { key: nextKey++, name: "", nozzle: 200, bed: 60 }]);
  const save = async () => {
    setError(null);
    try {
      const temperaturePresets = rows.map(({ key: _, ...p }) => ({ ...p, name: p.name.trim() }));
      onSaved(await api.patchSettings({ temperaturePresets }));
      notify("info", "Presets saved");
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section class="card" aria-label="Temperature presets" data-testid="settings-presets">
      <h2>Temperature presets</h2>
      <ul class="list">
        {rows.map((r, i) => (
          <li key={r.key} class="preset-row" data-testid="preset-row" data-preset={r.name}>
            <TextField
              label={`Name of preset ${i + 1}`}
              caption="Name"
              testid="preset-name"
              value={r.name}
              required
              maxLength={40}
              onValue={(v) => update(r.key, { name: v })}
            />
            <NumberField
              label={`Nozzle °C of preset ${i + 1}`}
              caption="Nozzle °C"
              testid="preset-nozzle"
              value={r.nozzle}
              min={0}
              max={300}
              onValue={(n) => update(r.key, { nozzle: n })}
            />
            <NumberField
              label={`Bed °C of preset ${i + 1}`}
              caption="Bed °C"
              testid="preset-bed"
              value={r.bed}
              min={0}
              max={120}
              onValue={(n) => update(r.key, { bed: n })}
            />
            <ActionButton
              testid="preset-remove"
              label={`Remove preset ${r.name || i + 1}`}
              variant="danger"
              onClick={() => setRows(rows.filter((x) => x.key !== r.key))}
            >
              Remove
            </ActionButton>
          </li>
        ))}
      </ul>
      {error ? (
        <p class="error" role="alert" data-testid="presets-error">
          {error}
        </p>
      ) : null}
      <div class="row wrap">
        <ActionButton
          testid="preset-add"
          label="Add preset"
          blocked={rows.length >= 50 ? "at most 50 presets" : null}
          onClick={add}
        />
        <ActionButton testid="presets-save" label="Save presets" variant="primary" onClick={save}>
          Save
        </ActionButton>
      </div>
    </section>
  );
}
