/**
 * Motion-time estimate modelled on Marlin 1.x `planner.cpp` (classic jerk) as PrusaSlicer 2.5's
 * `GCodeProcessor::TimeProcessor` reimplements it: per block a trapezoidal velocity profile, entry speeds
 * limited by jerk, then reverse and forward passes over a lookahead window.
 */

import { DEFAULT_MOTION } from "./analysis-options.ts";
import type { Axes4, MachineLimits } from "./machine-limits.ts";
import { limitsFromMotion } from "./machine-limits.ts";

export type { Axes4 };

/**
 * Lookahead window: WINDOW moves are replanned together, then the oldest FLUSH are timed. Marlin plans over
 * BLOCK_BUFFER_SIZE (16 by default); a longer window only ever raises junction speeds closer to their limits.
 */
const WINDOW = 128;
const FLUSH = 64;
const EPS = 1e-9;

/** Highest speed from which `distance` can bring the head to `target` at `acceleration` (deceleration). */
function maxAllowableSpeed(acceleration: number, target: number, distance: number): number {
  return Math.sqrt(target * target + 2 * acceleration * distance);
}

/** Time of a trapezoid from `entry` up to `cruise` and down to `exit` over `distance`. */
export function trapezoidTime(
  distance: number,
  acceleration: number,
  entry: number,
  cruise: number,
  exit: number,
): number {
  if (distance <= 0) return 0;
  if (acceleration <= 0) return distance / Math.max(cruise, EPS);
  const accelDist = (cruise * cruise - entry * entry) / (2 * acceleration);
  const decelDist = (cruise * cruise - exit * exit) / (2 * acceleration);
  if (accelDist + decelDist <= distance) {
    return (
      (cruise - entry) / acceleration +
      (cruise - exit) / acceleration +
      (distance - accelDist - decelDist) / cruise
    );
  }
  // No cruise phase: the peak speed where the accelerating and decelerating parabolas meet.
  const peakSq = (2 * acceleration * distance + entry * entry + exit * exit) / 2;
  const peak = Math.sqrt(Math.max(peakSq, entry * entry, exit * exit));
  return Math.max(0, peak - entry) / acceleration + Math.max(0, peak - exit) / acceleration;
}

/**
 * The queued blocks live in parallel typed arrays (index 0 = oldest): no object per move.
 * Block 0's entry is locked once the block before it has been timed.
 */
export class MotionPlanner {
  readonly limits: MachineLimits;
  private readonly distance = new Float64Array(WINDOW);
  private readonly acceleration = new Float64Array(WINDOW);
  private readonly cruise = new Float64Array(WINDOW);
  private readonly entry = new Float64Array(WINDOW);
  private readonly maxEntry = new Float64Array(WINDOW);
  private readonly safe = new Float64Array(WINDOW);
  private count = 0;
  private firstLocked = false;
  /** The move being queued: axis deltas (mm) and axis speeds (mm/s), X Y Z E; its feedrate, cruise, safe speed, acceleration. */
  private readonly delta = new Float64Array(4);
  private readonly feed = new Float64Array(4);
  private feedrate = 0;
  private cruiseNow = 0;
  private safeNow = 0;
  private accelerationNow = 0;
  /** The junction speed limit the junction functions leave. */
  private junction = 0;
  /** The previous move's axis speeds, cruise and safe speed. */
  private readonly prevFeed = new Float64Array(4);
  private prevCruise = 0;
  private prevSafe = 0;
  private hasPrev = false;
  private seconds = 0;

  constructor(limits: MachineLimits = limitsFromMotion(DEFAULT_MOTION)) {
    this.limits = limits;
  }

  /** Seconds of the moves timed so far (call `flush()` first for a final figure). */
  get elapsed(): number {
    return this.seconds;
  }

  /**
   * `elapsed` plus the moves still in the lookahead window, timed with the speeds planned so far (the
   * final plan may still raise a few junctions). A clock for events between moves; changes nothing.
   */
  get elapsedWithQueued(): number {
    let seconds = this.seconds;
    const n = this.count;
    for (let i = 0; i < n; i++) {
      const exit = i + 1 < n ? (this.entry[i + 1] as number) : (this.safe[i] as number);
      const cruise = this.cruise[i] as number;
      seconds += trapezoidTime(
        this.distance[i] as number,
        this.acceleration[i] as number,
        this.entry[i] as number,
        cruise,
        Math.min(exit, cruise),
      );
    }
    return seconds;
  }

  /** Adds a non-motion wait (G4), after finishing every queued move, like Marlin's `planner.synchronize()`. */
  dwell(seconds: number): void {
    this.flush();
    this.seconds += seconds;
  }

  /** Queues one linear move; `delta` in mm, `feedrate` in mm/s. */
  move(delta: Axes4, feedrate: number): void {
    this.moveBy(delta[0], delta[1], delta[2], delta[3], feedrate);
  }

  /**
   * `move()` without the tuple: the analyser's hot path. Small enough to be inlined by the caller, it
   * parks the numbers in typed arrays, so no double is boxed on the way into `queue()`.
   */
  moveBy(dx: number, dy: number, dz: number, de: number, feedrate: number): void {
    const d = this.delta;
    d[0] = dx;
    d[1] = dy;
    d[2] = dz;
    d[3] = de;
    this.feedrate = feedrate;
    this.queue();
  }

  private queue(): void {
    const lim = this.limits;
    const d = this.delta;
    const dx = d[0] as number;
    const dy = d[1] as number;
    const dz = d[2] as number;
    const de = d[3] as number;
    let distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const extrusionOnly = distance < EPS;
    if (extrusionOnly) distance = Math.abs(de);
    if (distance < EPS) return;
    const travel = de === 0;
    const inv = 1 / distance;
    const ux = Math.abs(dx) * inv;
    const uy = Math.abs(dy) * inv;
    const uz = Math.abs(dz) * inv;
    const ue = Math.abs(de) * inv;

    let cruise = Math.max(this.feedrate, travel ? lim.minTravelFeedrate : lim.minExtrudingFeedrate);
    const maxF = lim.maxFeedrate;
    let factor = 1;
    if (ux > 0 && maxF[0] > 0) factor = Math.min(factor, maxF[0] / (cruise * ux));
    if (uy > 0 && maxF[1] > 0) factor = Math.min(factor, maxF[1] / (cruise * uy));
    if (uz > 0 && maxF[2] > 0) factor = Math.min(factor, maxF[2] / (cruise * uz));
    if (ue > 0 && maxF[3] > 0) factor = Math.min(factor, maxF[3] / (cruise * ue));
    cruise *= factor;

    let acceleration = travel
      ? lim.travelAcceleration
      : extrusionOnly
        ? lim.retractAcceleration
        : lim.printAcceleration;
    const maxA = lim.maxAcceleration;
    if (ux > 0 && maxA[0] > 0 && acceleration * ux > maxA[0]) acceleration = maxA[0] / ux;
    if (uy > 0 && maxA[1] > 0 && acceleration * uy > maxA[1]) acceleration = maxA[1] / uy;
    if (uz > 0 && maxA[2] > 0 && acceleration * uz > maxA[2]) acceleration = maxA[2] / uz;
    if (ue > 0 && maxA[3] > 0 && acceleration * ue > maxA[3]) acceleration = maxA[3] / ue;

    const feed = this.feed;
    const jerk = lim.maxJerk;
    let safe = cruise;
    for (let a = 0; a < 4; a++) {
      const v = cruise * (d[a] as number) * inv;
      feed[a] = v;
      if (Math.abs(v) > (jerk[a] as number)) safe = Math.min(safe, jerk[a] as number);
    }

    let vmaxJunction = safe;
    if (this.hasPrev && this.prevCruise > 1e-4) {
      this.cruiseNow = cruise;
      this.safeNow = safe;
      this.accelerationNow = acceleration;
      if (lim.junctionDeviation !== null) this.deviationJunction();
      else this.jerkJunction();
      vmaxJunction = this.junction;
    }
    const n = this.count;
    this.distance[n] = distance;
    this.acceleration[n] = acceleration;
    this.cruise[n] = cruise;
    this.entry[n] = Math.min(vmaxJunction, maxAllowableSpeed(acceleration, safe, distance));
    this.maxEntry[n] = vmaxJunction;
    this.safe[n] = safe;
    this.count = n + 1;
    this.prevFeed.set(feed);
    this.prevCruise = cruise;
    this.prevSafe = safe;
    this.hasPrev = true;
    if (this.count >= WINDOW) this.plan(FLUSH);
  }

  /**
   * Marlin 1.x classic jerk junction (planner.cpp `_buffer_steps`, `#else // Classic Jerk Limiting`) between
   * the previous move and this one (`feed`, `cruiseNow`, `safeNow`); the result goes to `junction`.
   */
  private jerkJunction(): void {
    const cruise = this.cruiseNow;
    const prevLarger = this.prevCruise > cruise;
    const smaller = prevLarger ? cruise / this.prevCruise : 1;
    let vFactor = 1;
    const jerk = this.limits.maxJerk;
    for (let a = 0; a < 4; a++) {
      const vExit = (this.prevFeed[a] as number) * smaller * vFactor;
      const vEntry = (this.feed[a] as number) * vFactor;
      const change =
        vExit > vEntry
          ? vEntry > 0 || vExit < 0
            ? vExit - vEntry
            : Math.max(vExit, -vEntry)
          : vEntry < 0 || vExit > 0
            ? vEntry - vExit
            : Math.max(-vExit, vEntry);
      if (change > (jerk[a] as number)) vFactor *= (jerk[a] as number) / change;
    }
    let vmax = (prevLarger ? cruise : this.prevCruise) * vFactor;
    const threshold = vmax * 0.99;
    if (this.prevSafe > threshold && this.safeNow > threshold) vmax = this.safeNow;
    this.junction = vmax;
  }

  /** Marlin 2 junction deviation (planner.cpp, `#if HAS_JUNCTION_DEVIATION`): centripetal limit at the corner. */
  private deviationJunction(): void {
    const p = this.prevFeed;
    const f = this.feed;
    const prevNorm = Math.sqrt((p[0] as number) ** 2 + (p[1] as number) ** 2 + (p[2] as number) ** 2);
    const norm = Math.sqrt((f[0] as number) ** 2 + (f[1] as number) ** 2 + (f[2] as number) ** 2);
    const limit = Math.min(this.cruiseNow, this.prevCruise);
    if (prevNorm < EPS || norm < EPS) {
      this.junction = Math.min(limit, this.limits.maxJerk[3]);
      return;
    }
    const dot =
      (p[0] as number) * (f[0] as number) +
      (p[1] as number) * (f[1] as number) +
      (p[2] as number) * (f[2] as number);
    const cos = Math.max(-0.999999, Math.min(0.999999, -dot / (prevNorm * norm)));
    const sinHalf = Math.sqrt(0.5 * (1 - cos));
    const radius = ((this.limits.junctionDeviation ?? 0) * sinHalf) / (1 - sinHalf);
    this.junction = Math.min(limit, Math.sqrt(this.accelerationNow * radius));
  }

  /** Replans the window and times its first `count` blocks. */
  private plan(count: number): void {
    const n = this.count;
    const { distance, acceleration, cruise, entry, maxEntry, safe } = this;
    const first = this.firstLocked ? 1 : 0;
    // Reverse pass: each entry no higher than what the following block can decelerate from.
    for (let i = n - 1; i >= first; i--) {
      const nextEntry = i + 1 < n ? (entry[i + 1] as number) : (safe[i] as number);
      entry[i] = Math.min(
        maxEntry[i] as number,
        maxAllowableSpeed(acceleration[i] as number, nextEntry, distance[i] as number),
      );
    }
    // Forward pass: each entry no higher than what the previous block can accelerate to.
    for (let i = Math.max(1, first); i < n; i++) {
      const prevEntry = entry[i - 1] as number;
      if (prevEntry < (entry[i] as number)) {
        entry[i] = Math.min(
          entry[i] as number,
          maxAllowableSpeed(acceleration[i - 1] as number, prevEntry, distance[i - 1] as number),
        );
      }
    }
    const timed = Math.min(count, n);
    for (let i = 0; i < timed; i++) {
      const exit = i + 1 < n ? (entry[i + 1] as number) : (safe[i] as number);
      const c = cruise[i] as number;
      this.seconds += trapezoidTime(
        distance[i] as number,
        acceleration[i] as number,
        entry[i] as number,
        c,
        Math.min(exit, c),
      );
    }
    for (const column of [distance, acceleration, cruise, entry, maxEntry, safe]) {
      column.copyWithin(0, timed, n);
    }
    this.count = n - timed;
    this.firstLocked = this.count > 0;
  }

  /** Times every queued move; the last one ends at its jerk-safe speed. */
  flush(): void {
    if (this.count > 0) this.plan(this.count);
  }
}
