/** Serial: port, baud rate, firmware profile, autoconnect; connect and disconnect. */

import { useEffect, useState } from "preact/hooks";
import type { PortsResponse, ProfilesResponse, SettingsResponse } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { CheckField, SelectField } from "../components/form-fields.tsx";
import { GatedButton } from "../components/gated-button.tsx";
import { attempt, usePermission } from "../state/live.ts";

const BAUDS = [115200, 250000, 230400, 57600, 38400, 19200, 9600, 500000, 1000000];
type Serial = SettingsResponse["serial"];

export function SerialSettings({
  settings,
  onSaved,
}: {
  settings: SettingsResponse;
  onSaved: (s: SettingsResponse) => void;
}) {
  const canWrite = usePermission("settings:write");
  const canSend = usePermission("commands:send");
  const [form, setForm] = useState<Serial>(settings.serial);
  const [ports, setPorts] = useState<PortsResponse | null>(null);
  const [profiles, setProfiles] = useState<ProfilesResponse | null>(null);
  useEffect(() => setForm(settings.serial), [settings]);
  useEffect(() => {
    api.ports().then(setPorts, () => setPorts(null));
    api.profiles().then(setProfiles, () => setProfiles(null));
  }, []);
  const portOptions = new Set<string>([
    "virtual",
    form.port,
    ...(ports?.ports.map((p) => p.byIdPath ?? p.path) ?? []),
  ]);
  const save = () =>
    attempt(async () => onSaved(await api.patchSettings({ serial: form })), "Serial settings saved");
  const dis = !canWrite;

  return (
    <section class="card" aria-label="Serial connection" data-testid="settings-serial">
      <h2>Printer connection</h2>
      <SelectField
        label="Serial port"
        caption="Port"
        testid="serial-port"
        value={form.port}
        disabled={dis}
        onValue={(v) => setForm({ ...form, port: v })}
      >
        {[...portOptions].map((p) => (
          <option key={p} value={p}>
            {p === "virtual" ? "virtual (simulated printer)" : p}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Baud rate"
        testid="serial-baud"
        value={form.baudRate === null ? "" : String(form.baudRate)}
        disabled={dis}
        onValue={(v) => setForm({ ...form, baudRate: v === "" ? null : Number(v) })}
      >
        <option value="">detect</option>
        {[...new Set([...(form.baudRate ? [form.baudRate] : []), ...BAUDS])].map((b) => (
          <option key={b} value={String(b)}>
            {b}
          </option>
        ))}
      </SelectField>
      <SelectField
        label="Firmware profile"
        testid="serial-profile"
        value={form.profile ?? ""}
        disabled={dis}
        onValue={(v) => setForm({ ...form, profile: v === "" ? null : v })}
      >
        <option value="">detect from M115</option>
        {profiles?.profiles.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </SelectField>
      <CheckField
        label="Connect when the daemon starts"
        testid="serial-autoconnect"
        checked={form.autoconnect}
        disabled={dis}
        onValue={(on) => setForm({ ...form, autoconnect: on })}
      />
      <div class="row wrap">
        {canWrite ? (
          <ActionButton testid="serial-save" label="Save" variant="primary" onClick={save} />
        ) : null}
        {canSend ? (
          <>
            <GatedButton
              gate="connect"
              testid="serial-connect"
              label="Connect"
              onClick={() => attempt(() => api.connect())}
            />
            <GatedButton
              gate="disconnect"
              testid="serial-disconnect"
              label="Disconnect"
              onClick={() => attempt(api.disconnect)}
            />
          </>
        ) : null}
      </div>
    </section>
  );
}
