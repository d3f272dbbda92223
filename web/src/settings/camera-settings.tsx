/** Camera source (admins): the built-in test pattern, an HTTP streamer, or a USB webcam. */

import { useEffect, useState } from "preact/hooks";
import type { SettingsResponse } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { CheckField, SelectField, TextField } from "../components/form-fields.tsx";
import { attempt, usePermission } from "../state/live.ts";

type Camera = SettingsResponse["camera"];
type Source = Camera["source"];

const DEFAULTS: Record<Source["kind"], Source> = {
  "test-pattern": { kind: "test-pattern", width: 640, height: 480, fps: 10 },
  http: {
    kind: "http",
    snapshotUrl: "http://127.0.0.1:8080/?action=snapshot",
    streamUrl: "http://127.0.0.1:8080/?action=stream",
    timeoutMs: 5000,
  },
  usb: { kind: "usb", device: "/dev/video0", width: 1280, height: 720, fps: 15 },
};

export function CameraSettings({
  settings,
  onSaved,
}: {
  settings: SettingsResponse;
  onSaved: (s: SettingsResponse) => void;
}) {
  const canWrite = usePermission("settings:write");
  const [cam, setCam] = useState<Camera>(settings.camera);
  useEffect(() => setCam(settings.camera), [settings]);
  const src = cam.source;
  const dis = !canWrite;
  const setSrc = (s: Source) => setCam({ ...cam, source: s });
  const save = () => attempt(async () => onSaved(await api.patchSettings({ camera: cam })), "Camera saved");

  return (
    <section class="card" aria-label="Camera" data-testid="settings-camera">
      <h2>Camera</h2>
      <CheckField
        label="Camera on"
        testid="camera-enabled"
        checked={cam.enabled}
        disabled={dis}
        onValue={(on) => setCam({ ...cam, enabled: on })}
      />
      <SelectField
        label="Camera source"
        caption="Source"
        testid="camera-kind"
        value={src.kind}
        disabled={dis}
        onValue={(v) =>
          setSrc(settings.camera.source.kind === v ? settings.camera.source : DEFAULTS[v as Source["kind"]])
        }
      >
        <option value="test-pattern">Test pattern</option>
        <option value="http">HTTP streamer (ustreamer, mjpg-streamer)</option>
        <option value="usb">USB webcam</option>
      </SelectField>
      {src.kind === "http" ? (
        <>
          <TextField
            label="Snapshot URL"
            testid="camera-snapshot-url"
            value={src.snapshotUrl}
            disabled={dis}
            onValue={(v) => setSrc({ ...src, snapshotUrl: v })}
          />
          <TextField
            label="Stream URL"
            testid="camera-stream-url"
            value={src.streamUrl}
            disabled={dis}
            onValue={(v) => setSrc({ ...src, streamUrl: v })}
          />
        </>
      ) : null}
      {src.kind === "usb" ? (
        <TextField
          label="Device"
          testid="camera-device"
          value={src.device}
          disabled={dis}
          onValue={(v) => setSrc({ ...src, device: v })}
        />
      ) : null}
      {src.kind !== "http" ? (
        <div class="row wrap">
          <TextField
            label="Width"
            testid="camera-width"
            value={String(src.width)}
            disabled={dis}
            onValue={(v) => setSrc({ ...src, width: Number(v) })}
          />
          <TextField
            label="Height"
            testid="camera-height"
            value={String(src.height)}
            disabled={dis}
            onValue={(v) => setSrc({ ...src, height: Number(v) })}
          />
          <TextField
            label="FPS"
            testid="camera-fps"
            value={String(src.fps)}
            disabled={dis}
            onValue={(v) => setSrc({ ...src, fps: Number(v) })}
          />
        </div>
      ) : null}
      {canWrite ? <ActionButton testid="camera-save" label="Save" variant="primary" onClick={save} /> : null}
    </section>
  );
}
