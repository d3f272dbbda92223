import type { Params } from "./command.ts";

export interface Axes {
  x: number;
  y: number;
  z: number;
  e: number;
}

/**
 * The simulated build's motion settings (Marlin `planner.settings`), which M201/M203/M204/M205 change at
 * run time. Speeds in mm/s, accelerations in mm/s².
 */
export interface SimMotionLimits {
  /** M203. */
  maxFeedrate: Axes;
  /** M201. */
  maxAcceleration: Axes;
  /** M204 P: moves that extrude. */
  acceleration: number;
  /** M204 R: extruder-only moves. */
  retractAcceleration: number;
  /** M204 T: moves that do not extrude. */
  travelAcceleration: number;
  /** M205 X Y Z E: classic jerk, used when the build has CLASSIC_JERK. */
  jerk: Axes;
  /** M205 J, mm: junction deviation, used when the build has no CLASSIC_JERK. */
  junctionDeviation: number;
  /** M205 S. */
  minFeedrate: number;
  /** M205 T. */
  minTravelFeedrate: number;
}

/**
 * The simulator's power-up settings: Marlin's DEFAULT_MAX_FEEDRATE { 300, 300, 5, 25 } and
 * DEFAULT_MAX_ACCELERATION Z/E, jerk and JUNCTION_DEVIATION_MM, with a modest 1000 mm/s² for X/Y and every
 * M204 acceleration (the simulator's own choice). Files that set their limits, as slicers' start G-code
 * does, replace them.
 */
export function defaultMotionLimits(): SimMotionLimits {
  return {
    maxFeedrate: { x: 300, y: 300, z: 5, e: 25 },
    maxAcceleration: { x: 1000, y: 1000, z: 100, e: 10000 },
    acceleration: 1000,
    retractAcceleration: 1000,
    travelAcceleration: 1000,
    jerk: { x: 10, y: 10, z: 0.3, e: 5 },
    junctionDeviation: 0.013,
    minFeedrate: 0,
    minTravelFeedrate: 0,
  };
}

function setAxes(target: Axes, p: Params): void {
  for (const axis of ["x", "y", "z", "e"] as const) {
    const v = p.value(axis.toUpperCase());
    if (v !== undefined && v >= 0) target[axis] = v;
  }
}

/**
 * M201/M203/M204/M205 as Marlin's `M201.cpp`…`M205.cpp` apply them: per-axis values, M204 S setting the
 * print and travel accelerations at once (the legacy form) and P/R/T one each, M205 S/T/J and X/Y/Z/E.
 */
export function applyLimitCommand(limits: SimMotionLimits, code: number, p: Params): void {
  if (code === 201) setAxes(limits.maxAcceleration, p);
  else if (code === 203) setAxes(limits.maxFeedrate, p);
  else if (code === 204) {
    const s = p.value("S");
    if (s !== undefined && s > 0) limits.acceleration = limits.travelAcceleration = s;
    const pAccel = p.value("P");
    if (pAccel !== undefined && pAccel > 0) limits.acceleration = pAccel;
    const r = p.value("R");
    if (r !== undefined && r > 0) limits.retractAcceleration = r;
    const t = p.value("T");
    if (t !== undefined && t > 0) limits.travelAcceleration = t;
  } else if (code === 205) {
    setAxes(limits.jerk, p);
    const s = p.value("S");
    if (s !== undefined && s >= 0) limits.minFeedrate = s;
    const t = p.value("T");
    if (t !== undefined && t >= 0) limits.minTravelFeedrate = t;
    const j = p.value("J");
    if (j !== undefined && j > 0) limits.junctionDeviation = j;
  }
}
