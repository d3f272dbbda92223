/** Camera source (admins): the built-in test pattern, an HTTP streamer, or a USB webcam. */

import { useEffect, useState } from "preact/hooks";
import type { SettingsResponse } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
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

function Text(props: {
  label: string;
  testid: string;
  value: string;
  disabled: boolean;
  onChange: (v: string) => void;
}) {
  return (
    <label>
      {props.label}
      <input
        value={props.value}
        disabled={props.disabled}
        data-testid={props.testid}
        aria-label={props.label}
        onInput={(e) => props.onChange(e.currentTarget.value)}
      />
    </label>
  );
}

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
      <label class="check">
        <input
          type="checkbox"
          checked={cam.enabled}
          disabled={dis}
          data-testid="camera-enabled"
          aria-label="Camera on"
          onChange={(e) => setCam({ ...cam, enabled: e.currentTarget.checked })}
        />
        Camera on
      </label>
      <label>
        Source
        <select
          value={src.kind}
          disabled={dis}
          data-testid="camera-kind"
          aria-label="Camera source"
          onChange={(e) =>
            setSrc(
              settings.camera.source.kind === e.currentTarget.value
                ? settings.camera.source
                : DEFAULTS[e.currentTarget.value as Source["kind"]],
            )
          }
        >
          <option value="test-pattern">Test pattern</option>
          <option value="http">HTTP streamer (ustreamer, mjpg-streamer)</option>
          <option value="usb">USB webcam</option>
        </select>
      </label>
      {src.kind === "http" ? (
        <>
          <Text
            label="Snapshot URL"
            testid="camera-snapshot-url"
            value={src.snapshotUrl}
            disabled={dis}
            onChange={(v) => setSrc({ ...src, snapshotUrl: v })}
          />
          <Text
            label="Stream URL"
            testid="camera-stream-url"
            value={src.streamUrl}
            disabled={dis}
            onChange={(v) => setSrc({ ...src, streamUrl: v })}
          />
        </>
      ) : null}
      {src.kind === "usb" ? (
        <Text
          label="Device"
          testid="camera-device"
          value={src.device}
          disabled={dis}
          onChange={(v) => setSrc({ ...src, device: v })}
        />
      ) : null}
      {src.kind !== "http" ? (
        <div class="row wrap">
          <Text
            label="Width"
            testid="camera-width"
            value={String(src.width)}
            disabled={dis}
            onChange={(v) => setSrc({ ...src, width: Number(v) })}
          />
          <Text
            label="Height"
            testid="camera-height"
            value={String(src.height)}
            disabled={dis}
            onChange={(v) => setSrc({ ...src, height: Number(v) })}
          />
          <Text
            label="FPS"
            testid="camera-fps"
            value={String(src.fps)}
            disabled={dis}
            onChange={(v) => setSrc({ ...src, fps: Number(v) })}
          />
        </div>
      ) : null}
      {canWrite ? <ActionButton testid="camera-save" label="Save" variant="primary" onClick={save} /> : null}
    </section>
  );
}
