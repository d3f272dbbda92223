/** Serial: port, baud rate, firmware profile, autoconnect; connect and disconnect. */

import { useEffect, useState } from "preact/hooks";
import type { PortsResponse, ProfilesResponse, SettingsResponse } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";
import { blockedBy } from "../util/gate.ts";

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
  const state = useLive((s) => s.state);
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
      <label>
        Port
        <select
          value={form.port}
          disabled={dis}
          data-testid="serial-port"
          aria-label="Serial port"
          onChange={(e) => setForm({ ...form, port: e.currentTarget.value })}
        >
          {[...portOptions].map((p) => (
            <option key={p} value={p}>
              {p === "virtual" ? "virtual (simulated printer)" : p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Baud rate
        <select
          value={form.baudRate === null ? "" : String(form.baudRate)}
          disabled={dis}
          data-testid="serial-baud"
          aria-label="Baud rate"
          onChange={(e) =>
            setForm({
              ...form,
              baudRate: e.currentTarget.value === "" ? null : Number(e.currentTarget.value),
            })
          }
        >
          <option value="">detect</option>
          {[...new Set([...(form.baudRate ? [form.baudRate] : []), ...BAUDS])].map((b) => (
            <option key={b} value={String(b)}>
              {b}
            </option>
          ))}
        </select>
      </label>
      <label>
        Firmware profile
        <select
          value={form.profile ?? ""}
          disabled={dis}
          data-testid="serial-profile"
          aria-label="Firmware profile"
          onChange={(e) =>
            setForm({ ...form, profile: e.currentTarget.value === "" ? null : e.currentTarget.value })
          }
        >
          <option value="">detect from M115</option>
          {profiles?.profiles.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={form.autoconnect}
          disabled={dis}
          data-testid="serial-autoconnect"
          aria-label="Connect when the daemon starts"
          onChange={(e) => setForm({ ...form, autoconnect: e.currentTarget.checked })}
        />
        Connect when the daemon starts
      </label>
      <div class="row wrap">
        {canWrite ? (
          <ActionButton testid="serial-save" label="Save" variant="primary" onClick={save} />
        ) : null}
        {canSend ? (
          <>
            <ActionButton
              testid="serial-connect"
              label="Connect"
              blocked={blockedBy("connect", state)}
              onClick={() => attempt(() => api.connect())}
            />
            <ActionButton
              testid="serial-disconnect"
              label="Disconnect"
              blocked={blockedBy("disconnect", state)}
              onClick={() => attempt(api.disconnect)}
            />
          </>
        ) : null}
      </div>
    </section>
  );
}
