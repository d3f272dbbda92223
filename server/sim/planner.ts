import type { Axes, SimMotionLimits } from "./motion-limits.ts";

/**
 * The simulated firmware's look-ahead planner (`Marlin/src/module/planner.cpp`): every queued block has a
 * trapezoidal speed profile; a new block gets a junction speed limit against the block before it (classic
 * jerk as Marlin 1.x / Prusa-Firmware, or Marlin 2's junction deviation), then the queue is replanned with
 * a reverse and a forward pass, and the blocks not yet running get new start and end times. The running
 * block keeps its profile, as Marlin's stepper ISR does; a block appended to an empty planner starts from
 * rest and the last block plans to stop (MINIMUM_PLANNER_SPEED, 0.05 mm/s, taken as 0). Times are in
 * simulated milliseconds.
 */

export type JunctionModel = "classic-jerk" | "junction-deviation";

export interface Block {
  /** mm: the XYZ length, or |E| for an extruder-only move. */
  distance: number;
  /** mm/s². */
  acceleration: number;
  /** mm/s, after per-axis feedrate limits. */
  nominal: number;
  /** mm/s: the junction limit against the previous block. */
  maxEntry: number;
  /** mm/s, as planned. */
  entry: number;
  /** Its entry is the exit of a block that already ran: it cannot change any more. */
  entryFixed: boolean;
  start: number;
  end: number;
  /** Where the head is when the block is done (for M114's `Count`). */
  x: number;
  y: number;
  z: number;
}

/** Axis speeds (mm/s, signed) of the last block planned: Marlin's `previous_speed`. */
interface Previous {
  x: number;
  y: number;
  z: number;
  e: number;
  nominal: number;
  safe: number;
}

/** Seconds for `distance` from `entry` up to (at most) `nominal` and down to `exit` at `accel`. */
export function trapezoidSeconds(
  distance: number,
  accel: number,
  entry: number,
  nominal: number,
  exit: number,
): number {
  const accelDistance = (nominal * nominal - entry * entry) / (2 * accel);
  const decelDistance = (nominal * nominal - exit * exit) / (2 * accel);
  const cruise = distance - accelDistance - decelDistance;
  if (cruise >= 0) return (nominal - entry) / accel + cruise / nominal + (nominal - exit) / accel;
  // Triangle: accelerate until the deceleration curve to `exit` is met.
  const peak = Math.sqrt(
    Math.max(entry * entry, exit * exit, accel * distance + (entry * entry + exit * exit) / 2),
  );
  return (peak - entry) / accel + (peak - exit) / accel;
}

/** The junction speed limit and from-rest ("safe") speed for a block moving at `v` (axis speeds). */
export function junctionLimit(
  model: JunctionModel,
  limits: SimMotionLimits,
  v: Axes,
  nominal: number,
  accel: number,
  prev: Previous | null,
): { maxEntry: number; safe: number } {
  let safe = nominal;
  if (model === "junction-deviation") safe = 0;
  else {
    // Marlin 1.x: the first axis over its jerk sets the safe speed, the others may lower it further.
    let limited = false;
    for (const axis of ["x", "y", "z", "e"] as const) {
      const speed = Math.abs(v[axis]);
      const maxJerk = limits.jerk[axis];
      if (speed <= maxJerk) continue;
      if (!limited) safe = maxJerk;
      else if (speed * safe > maxJerk * nominal) safe = (maxJerk * nominal) / speed;
      limited = true;
    }
  }
  if (prev === null || prev.nominal < 1e-6) return { maxEntry: safe, safe };
  if (model === "junction-deviation")
    return { maxEntry: deviationLimit(limits, v, nominal, accel, prev), safe };
  let vmax = Math.min(nominal, prev.nominal);
  const smaller = vmax / prev.nominal;
  let factor = 1;
  for (const axis of ["x", "y", "z", "e"] as const) {
    const exit = prev[axis] * smaller * factor;
    const entry = v[axis] * factor;
    // Coasting one way the change is the difference; on a reversal it is the larger of the two speeds.
    const change =
      exit > entry
        ? entry > 0 || exit < 0
          ? exit - entry
          : Math.max(exit, -entry)
        : entry < 0 || exit > 0
          ? entry - exit
          : Math.max(-exit, entry);
    if (change > limits.jerk[axis]) factor *= limits.jerk[axis] / change;
  }
  vmax *= factor;
  const threshold = vmax * 0.99;
  if (prev.safe > threshold && safe > threshold) vmax = safe;
  return { maxEntry: vmax, safe };
}

/** Marlin 2: the speed at which a circle of radius set by JUNCTION_DEVIATION_MM takes the corner. */
function deviationLimit(
  limits: SimMotionLimits,
  v: Axes,
  nominal: number,
  accel: number,
  prev: Previous,
): number {
  const floor = Math.min(nominal, prev.nominal);
  const norm = Math.hypot(v.x, v.y, v.z);
  const prevNorm = Math.hypot(prev.x, prev.y, prev.z);
  // Extruder-only neighbours: only the E jerk applies.
  if (norm < 1e-9 || prevNorm < 1e-9) return Math.min(floor, limits.jerk.e);
  const cos = -(prev.x * v.x + prev.y * v.y + prev.z * v.z) / (norm * prevNorm);
  if (cos > 0.999999) return 0;
  const sinHalf = Math.sqrt(0.5 * (1 - Math.max(cos, -0.999999)));
  const limitSq = (accel * limits.junctionDeviation * sinHalf) / (1 - sinHalf);
  return Math.min(floor, Math.sqrt(limitSq));
}

/** Reverse then forward pass over `blocks` (oldest first); `fixed` blocks at the front keep their entry. */
export function replan(blocks: Block[], fixed: number): void {
  const n = blocks.length;
  let exit = 0;
  for (let i = n - 1; i >= fixed; i--) {
    const b = blocks[i] as Block;
    b.entry = Math.min(b.maxEntry, Math.sqrt(exit * exit + 2 * b.acceleration * b.distance));
    exit = b.entry;
  }
  for (let i = Math.max(fixed, 1); i < n; i++) {
    const prev = blocks[i - 1] as Block;
    const b = blocks[i] as Block;
    const reachable = Math.sqrt(prev.entry * prev.entry + 2 * prev.acceleration * prev.distance);
    if (b.entry > reachable) b.entry = reachable;
  }
}

export type { Previous };
