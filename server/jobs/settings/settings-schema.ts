import { z } from "zod";
import {
  CAMERA,
  CAMERA_PATCH,
  DEFAULT_CAMERA,
  DEFAULT_TIMELAPSE,
  TIMELAPSE,
  TIMELAPSE_PATCH,
} from "./camera-settings-schema.ts";

/**
 * The settings a maker changes from the dashboard (`<dataDir>/settings.json`): which printer to
 * connect to, temperature presets, and how pauses behave. Unknown keys are an error, so a typo is
 * reported with its key instead of being kept and ignored.
 */

/**
 * Heater targets accepted when the firmware profile does not say better, °C. Above these a hot end
 * (PTFE-lined: ~250 °C) or a bed (~120 °C) is being damaged, or the number is a typo.
 */
export const HEATER_LIMITS = { nozzle: 300, bed: 120, chamber: 80 } as const;

/** A device path or `virtual` (the built-in simulated printer); no control characters. */
const PORT = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => p === "virtual" || p.startsWith("/"), 'expected "virtual" or an absolute device path')
  .refine((p) => !/\p{Cc}/u.test(p), "control characters are not allowed");

const SERIAL = z.strictObject({
  port: PORT,
  /** null: detect. */
  baudRate: z.number().int().min(300).max(4_000_000).nullable(),
  /** A firmware profile id (`marlin-2`); null: detect from M115. */
  profile: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "expected a profile id such as marlin-2")
    .nullable(),
  /** Connect when the daemon starts. */
  autoconnect: z.boolean(),
});

const PRESET = z.strictObject({
  name: z.string().trim().min(1).max(40),
  nozzle: z.number().min(0).max(HEATER_LIMITS.nozzle),
  bed: z.number().min(0).max(HEATER_LIMITS.bed),
  chamber: z.number().min(0).max(HEATER_LIMITS.chamber).optional(),
});

const PRESETS = z
  .array(PRESET)
  .max(50)
  .refine(
    (presets) => new Set(presets.map((p) => p.name.toLowerCase())).size === presets.length,
    "preset names must be unique (ignoring case)",
  );

const PARK = z.strictObject({ x: z.number().min(-1000).max(2000), y: z.number().min(-1000).max(2000) });

const JOBS = z.strictObject({
  /** Where pause and cancel park the head, mm. */
  park: PARK,
  /** A paused print's nozzles go cold after this long; 0 keeps them hot. */
  coolAfterPauseMinutes: z
    .number()
    .min(0)
    .max(24 * 60),
});

export const SETTINGS = z.strictObject({
  serial: SERIAL,
  temperaturePresets: PRESETS,
  jobs: JOBS,
  camera: CAMERA,
  timelapse: TIMELAPSE,
});

/** A change: any subset of the keys; objects merge, the preset list is replaced as a whole. */
export const SETTINGS_PATCH = z.strictObject({
  serial: SERIAL.partial().optional(),
  temperaturePresets: PRESETS.optional(),
  jobs: z
    .strictObject({
      park: PARK.partial().optional(),
      coolAfterPauseMinutes: JOBS.shape.coolAfterPauseMinutes.optional(),
    })
    .optional(),
  camera: CAMERA_PATCH.optional(),
  timelapse: TIMELAPSE_PATCH.optional(),
});

export type Settings = z.output<typeof SETTINGS>;
export type SettingsPatch = z.input<typeof SETTINGS_PATCH>;
export type TemperaturePreset = Settings["temperaturePresets"][number];

export const DEFAULT_SETTINGS: Settings = {
  serial: { port: "virtual", baudRate: null, profile: null, autoconnect: true },
  temperaturePresets: [
    { name: "PLA", nozzle: 200, bed: 60 },
    { name: "PETG", nozzle: 235, bed: 80 },
    { name: "ABS", nozzle: 245, bed: 100 },
  ],
  jobs: { park: { x: 0, y: 200 }, coolAfterPauseMinutes: 10 },
  camera: DEFAULT_CAMERA,
  timelapse: DEFAULT_TIMELAPSE,
};

/** `base` with `patch` applied: nested objects merge, arrays and values replace. Pure. */
export function mergeSettings(base: Settings, patch: z.output<typeof SETTINGS_PATCH>): Settings {
  return {
    serial: { ...base.serial, ...patch.serial },
    temperaturePresets: patch.temperaturePresets ?? base.temperaturePresets,
    jobs: {
      ...base.jobs,
      ...(patch.jobs?.coolAfterPauseMinutes !== undefined
        ? { coolAfterPauseMinutes: patch.jobs.coolAfterPauseMinutes }
        : {}),
      park: { ...base.jobs.park, ...patch.jobs?.park },
    },
    camera: { ...base.camera, ...patch.camera },
    timelapse: { ...base.timelapse, ...patch.timelapse },
  };
}

/**
 * `value` parsed by `schema`, or an error message naming the first offending key
 * (`settings.serial.baudRate: Too small: expected number to be >=300`).
 */
export function settingsIssue<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: string,
): { ok: true; value: z.output<S> } | { ok: false; message: string } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = [where, ...(issue?.path ?? []).map(String)].join(".");
  return { ok: false, message: `${path}: ${issue?.message ?? "invalid"}` };
}
