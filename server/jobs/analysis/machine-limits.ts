import type { AxisValues, FirmwareMotion } from "../../printer/firmware-profile-types.ts";

/** Axis order: X, Y, Z, E. */
export type Axes4 = [number, number, number, number];

export interface MachineLimits {
  /** M201, mm/s². */
  maxAcceleration: Axes4;
  /** M203, mm/s. */
  maxFeedrate: Axes4;
  /** M205 X/Y/Z/E, mm/s. */
  maxJerk: Axes4;
  /** M205 J, mm; when set, junction deviation replaces classic jerk for XYZ junctions. */
  junctionDeviation: number | null;
  /** M204 P (or S), mm/s². */
  printAcceleration: number;
  /** M204 R, mm/s². */
  retractAcceleration: number;
  /** M204 T (or S), mm/s². */
  travelAcceleration: number;
  /** M205 S, mm/s. */
  minExtrudingFeedrate: number;
  /** M205 T, mm/s. */
  minTravelFeedrate: number;
}

/** The words of one command (`CommandScanner`, or any other reader of `X10`-style words). */
export interface CommandWords {
  value(letter: string): number | undefined;
}

function axes(v: AxisValues): Axes4 {
  return [v.x, v.y, v.z, v.e];
}

/** The planner's limits from a firmware profile's `motion` section. */
export function limitsFromMotion(motion: FirmwareMotion): MachineLimits {
  return {
    maxAcceleration: axes(motion.maxAcceleration),
    maxFeedrate: axes(motion.maxFeedrate),
    maxJerk: axes(motion.jerk),
    junctionDeviation: motion.junctionDeviationMm,
    printAcceleration: motion.printAcceleration,
    retractAcceleration: motion.retractAcceleration,
    travelAcceleration: motion.travelAcceleration,
    minExtrudingFeedrate: motion.minExtrudingFeedrate,
    minTravelFeedrate: motion.minTravelFeedrate,
  };
}

/** Marlin 1.x/2.x units: M201 mm/s², M203 mm/s, M204 mm/s², M205 X/Y/Z/E mm/s, S/T mm/s, J mm. */
export function applyMachineLimits(lim: MachineLimits, code: string, w: CommandWords): void {
  const letters = ["X", "Y", "Z", "E"] as const;
  const target =
    code === "M201"
      ? lim.maxAcceleration
      : code === "M203"
        ? lim.maxFeedrate
        : code === "M205"
          ? lim.maxJerk
          : null;
  if (target) {
    for (let a = 0; a < 4; a++) {
      const v = w.value(letters[a] as string);
      if (v !== undefined) target[a] = v;
    }
  }
  if (code === "M204") {
    // Legacy S sets both print and travel acceleration (Marlin `M204.cpp`; PrusaSlicer `GCodeProcessor::process_M204`).
    const s = w.value("S");
    if (s !== undefined) {
      lim.printAcceleration = s;
      lim.travelAcceleration = s;
    }
    const p = w.value("P");
    if (p !== undefined) lim.printAcceleration = p;
    const r = w.value("R");
    if (r !== undefined) lim.retractAcceleration = r;
    const t = w.value("T");
    if (t !== undefined) lim.travelAcceleration = t;
  }
  if (code === "M205") {
    const s = w.value("S");
    if (s !== undefined) lim.minExtrudingFeedrate = s;
    const t = w.value("T");
    if (t !== undefined) lim.minTravelFeedrate = t;
    const j = w.value("J");
    if (j !== undefined) lim.junctionDeviation = j > 0 ? j : null;
  }
}
