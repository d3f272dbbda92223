import { z } from "zod";

/**
 * The camera and time-lapse sections of the settings file. The camera layer reads them through its
 * own types (camera-source.ts, timelapse-config.ts), which these must match; main.ts hands them over.
 */

const HTTP_URL = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "http:" || url.protocol === "https:";
    } catch {
      return false;
    }
  }, "expected an http:// or https:// URL");

const SIZE = { width: z.number().int().min(16).max(4096), height: z.number().int().min(16).max(4096) };

const SOURCE = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("test-pattern"), ...SIZE, fps: z.number().int().min(1).max(30) }),
  z.strictObject({
    kind: z.literal("http"),
    snapshotUrl: HTTP_URL,
    streamUrl: HTTP_URL,
    timeoutMs: z.number().int().min(100).max(60_000),
  }),
  z.strictObject({
    kind: z.literal("usb"),
    device: z
      .string()
      .regex(/^\/dev\/[A-Za-z0-9/_.-]+$/, "expected a device path such as /dev/video0")
      .refine((p) => !p.includes(".."), "expected a device path such as /dev/video0"),
    ...SIZE,
    fps: z.number().int().min(1).max(60),
  }),
]);

export const CAMERA = z.strictObject({
  /** Off: no live view, snapshots or time-lapse frames. */
  enabled: z.boolean(),
  source: SOURCE,
  /** Frames per second sent to each live viewer at most. */
  maxFps: z.number().int().min(1).max(30),
});

export const CAMERA_PATCH = z.strictObject({
  enabled: CAMERA.shape.enabled.optional(),
  /** Replaced as a whole. */
  source: SOURCE.optional(),
  maxFps: CAMERA.shape.maxFps.optional(),
});

const PARK = z.strictObject({ x: z.number().min(-1000).max(2000), y: z.number().min(-1000).max(2000) });
const OUTCOME = z.enum(["done", "cancelled", "failed"]);

export const TIMELAPSE = z.strictObject({
  mode: z.enum(["off", "layer", "timed"]),
  intervalSeconds: z.number().min(1).max(3600),
  minIntervalSeconds: z.number().min(0).max(600),
  stabilize: z.boolean(),
  park: PARK.nullable(),
  retractMm: z.number().min(0).max(10),
  zHopMm: z.number().min(0).max(10),
  fps: z.number().int().min(1).max(60),
  postRollSeconds: z.number().min(0).max(60),
  maxWidth: z.number().int().min(64).max(3840),
  maxHeight: z.number().int().min(64).max(2160),
  renderOn: z
    .array(OUTCOME)
    .max(3)
    .refine((list) => new Set(list).size === list.length, "outcomes must be unique"),
  encoder: z.enum(["auto", "libx264", "h264_v4l2m2m"]),
  minFreeMiB: z.number().min(0).max(1_000_000),
  keepUnrenderedDays: z.number().min(0).max(3650),
});

export const TIMELAPSE_PATCH = TIMELAPSE.partial();

export const DEFAULT_CAMERA: z.output<typeof CAMERA> = {
  enabled: true,
  source: { kind: "test-pattern", width: 640, height: 480, fps: 10 },
  maxFps: 10,
};

export const DEFAULT_TIMELAPSE: z.output<typeof TIMELAPSE> = {
  mode: "off",
  intervalSeconds: 10,
  minIntervalSeconds: 0,
  stabilize: true,
  park: null,
  retractMm: 1,
  zHopMm: 0.4,
  fps: 25,
  postRollSeconds: 2,
  maxWidth: 1920,
  maxHeight: 1080,
  renderOn: ["done", "cancelled", "failed"],
  encoder: "auto",
  minFreeMiB: 500,
  keepUnrenderedDays: 7,
};
