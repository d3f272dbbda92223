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

/** Marlin 1.1 `Configuration.h` defaults, used until the file sets its own. */
export function defaultLimits(): MachineLimits {
  return {
    maxAcceleration: [3000, 3000, 100, 10000],
    maxFeedrate: [300, 300, 5, 25],
    maxJerk: [10, 10, 0.3, 5],
    junctionDeviation: null,
    printAcceleration: 3000,
    retractAcceleration: 3000,
    travelAcceleration: 3000,
    minExtrudingFeedrate: 0,
    minTravelFeedrate: 0,
  };
}

/** Marlin 1.x/2.x units: M201 mm/s², M203 mm/s, M204 mm/s², M205 X/Y/Z/E mm/s, S/T mm/s, J mm. */
export function applyMachineLimits(lim: MachineLimits, code: string, w: Map<string, number>): void {
  const axes = ["X", "Y", "Z", "E"] as const;
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
      const v = w.get(axes[a] as string);
      if (v !== undefined) target[a] = v;
    }
  }
  if (code === "M204") {
    // Legacy S sets both print and travel acceleration (Marlin `M204.cpp`; PrusaSlicer `GCodeProcessor::process_M204`).
    const s = w.get("S");
    if (s !== undefined) {
      lim.printAcceleration = s;
      lim.travelAcceleration = s;
    }
    const p = w.get("P");
    if (p !== undefined) lim.printAcceleration = p;
    const r = w.get("R");
    if (r !== undefined) lim.retractAcceleration = r;
    const t = w.get("T");
    if (t !== undefined) lim.travelAcceleration = t;
  }
  if (code === "M205") {
    const s = w.get("S");
    if (s !== undefined) lim.minExtrudingFeedrate = s;
    const t = w.get("T");
    if (t !== undefined) lim.minTravelFeedrate = t;
    const j = w.get("J");
    if (j !== undefined) lim.junctionDeviation = j > 0 ? j : null;
  }
}
