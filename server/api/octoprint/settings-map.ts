import type { EngineSnapshot } from "../../jobs/engine/engine.ts";
import type { Settings } from "../../jobs/settings/settings-schema.ts";
import { toolCount } from "./temperature-map.ts";

/** `/api/version`. PrusaSlicer needs the `api` key and a `text` starting with "OctoPrint". */
export function octoVersion(version: string) {
  return { api: "0.1", server: version, text: `OctoPrint (Layerwatch ${version})` };
}

export interface SettingsInput {
  /** Absolute origin of this server as the client reached it (`http://printer.local:5000`). */
  base: string;
  installId: string;
  version: string;
  /** The maker's temperature presets (the apps' preheat buttons). */
  presets: Settings["temperaturePresets"];
  camera: Settings["camera"];
  timelapseEnabled: boolean;
}

/** `16:9` or `4:3`, whichever is nearer the camera's frame (OctoPrint knows only these two). */
function streamRatio(camera: Settings["camera"]): "16:9" | "4:3" {
  const source = camera.source;
  if (source.kind === "http") return "16:9";
  return source.width / source.height > 1.55 ? "16:9" : "4:3";
}

/**
 * The part of `/api/settings` that clients read: the webcam block (Cura, Home Assistant and the
 * phone apps take the stream and snapshot URLs from here; they point at the own API's camera routes),
 * feature flags (no SD card), temperature presets, the identity Home Assistant keys its config entry on
 * (`plugins.discovery.upnpUuid`, `plugins.tracking.unique_id`).
 */
export function octoSettings(input: SettingsInput) {
  const { base, installId } = input;
  return {
    api: { allowCrossOrigin: false },
    appearance: { name: "Layerwatch", color: "default", colorTransparent: false },
    feature: {
      sdSupport: false,
      temperatureGraph: true,
      gcodeViewer: false,
      modelSizeDetection: true,
      printCancelConfirmation: true,
      keyboardControl: false,
    },
    folder: { uploads: null, timelapse: null, watched: null },
    plugins: {
      discovery: {
        upnpUuid: installId,
        publicHost: null,
        publicPort: null,
        pathPrefix: "/",
        httpUsername: null,
        httpPassword: null,
        model: { name: "Layerwatch", vendor: "Layerwatch", number: input.version },
      },
      tracking: { enabled: false, unique_id: installId },
    },
    serial: { autoconnect: true, log: false },
    temperature: {
      cutoff: 30,
      profiles: input.presets.map((p) => ({
        name: p.name,
        extruder: p.nozzle,
        bed: p.bed,
        chamber: p.chamber ?? null,
      })),
    },
    webcam: {
      webcamEnabled: input.camera.enabled,
      timelapseEnabled: input.timelapseEnabled,
      streamUrl: `${base}/api/v1/camera/stream`,
      snapshotUrl: `${base}/api/v1/camera/snapshot`,
      flipH: false,
      flipV: false,
      rotate90: false,
      streamRatio: streamRatio(input.camera),
    },
  };
}

/** The one printer profile: OctoPrint clients expect `_default`. */
export const PROFILE_ID = "_default";

/** OctoPrint's default jog speeds, mm/min, capped by the firmware's own maximum feedrates. */
const AXIS_SPEEDS = { x: 6000, y: 6000, z: 200, e: 300 } as const;

/** Build volume when nothing better is known; OctoPrint's own default profile uses the same. */
const VOLUME = { width: 200, depth: 200, height: 200 };

export function axisSpeeds(snapshot: EngineSnapshot): { x: number; y: number; z: number; e: number } {
  const max = snapshot.firmware?.profile.motion.maxFeedrate;
  const cap = (axis: keyof typeof AXIS_SPEEDS) =>
    max === undefined ? AXIS_SPEEDS[axis] : Math.min(AXIS_SPEEDS[axis], Math.round(max[axis] * 60));
  return { x: cap("x"), y: cap("y"), z: cap("z"), e: cap("e") };
}

/** `/api/printerprofiles` entry, from what the connected firmware reports. */
export function printerProfile(snapshot: EngineSnapshot, base: string) {
  const temps = snapshot.temperatures;
  const tools = Math.max(1, toolCount(temps));
  const known = Object.keys(temps).length > 0;
  const speeds = axisSpeeds(snapshot);
  return {
    id: PROFILE_ID,
    name: snapshot.firmware?.profile.name ?? "Default",
    model: snapshot.firmware?.name ?? "Generic printer",
    color: "default",
    current: true,
    default: true,
    resource: `${base}/api/printerprofiles/${PROFILE_ID}`,
    heatedBed: known ? "B" in temps : true,
    heatedChamber: "C" in temps,
    volume: { ...VOLUME, formFactor: "rectangular", origin: "lowerleft", custom_box: false },
    extruder: {
      count: tools,
      offsets: Array.from({ length: tools }, () => [0, 0]),
      nozzleDiameter: 0.4,
      sharedNozzle: false,
      defaultExtrusionLength: 5,
    },
    axes: {
      x: { speed: speeds.x, inverted: false },
      y: { speed: speeds.y, inverted: false },
      z: { speed: speeds.z, inverted: false },
      e: { speed: speeds.e, inverted: false },
    },
  };
}
