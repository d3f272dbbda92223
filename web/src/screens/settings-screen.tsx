/** Settings: connection, presets, pause behaviour, time-lapse, app-key approvals, password, API keys, users. */

import { useEffect, useState } from "preact/hooks";
import type { SettingsResponse } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ApiKeysSettings } from "../settings/api-keys-settings.tsx";
import { AppKeysSettings } from "../settings/appkeys-settings.tsx";
import { CameraSettings } from "../settings/camera-settings.tsx";
import { PasswordSettings } from "../settings/password-settings.tsx";
import { PauseSettings } from "../settings/pause-settings.tsx";
import { PresetsSettings } from "../settings/presets-settings.tsx";
import { SerialSettings } from "../settings/serial-settings.tsx";
import { TimelapseSettings } from "../settings/timelapse-settings.tsx";
import { UsersSettings } from "../settings/users-settings.tsx";
import { usePermission } from "../state/live.ts";

export function SettingsScreen({ appKey = null }: { appKey?: string | null }) {
  const [settings, setSettings] = useState<SettingsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const isAdmin = usePermission("users:admin");
  const canWrite = usePermission("settings:write");
  useEffect(() => {
    api.settings().then(setSettings, (e) => setError(errorMessage(e)));
  }, []);
  return (
    <div class="grid">
      <div class="col">
        <AppKeysSettings highlight={appKey} />
        {error ? <p class="error">{error}</p> : null}
        {settings ? <SerialSettings settings={settings} onSaved={setSettings} /> : null}
        {settings && canWrite ? <PresetsSettings settings={settings} onSaved={setSettings} /> : null}
        {settings && canWrite ? <PauseSettings settings={settings} onSaved={setSettings} /> : null}
        <TimelapseSettings />
        {settings ? <CameraSettings settings={settings} onSaved={setSettings} /> : null}
      </div>
      <div class="col">
        <PasswordSettings />
        <ApiKeysSettings />
        {isAdmin ? <UsersSettings /> : null}
      </div>
    </div>
  );
}
