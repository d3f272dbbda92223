/**
 * Motion-time estimate modelled on Marlin 1.x `planner.cpp` (classic jerk) as PrusaSlicer 2.5's
 * `GCodeProcessor::TimeProcessor` reimplements it: per block a trapezoidal velocity profile, entry speeds
 * limited by jerk, then reverse and forward passes over a lookahead window.
 */

import type { Axes4, MachineLimits } from "./machine-limits.ts";
import { defaultLimits } from "./machine-limits.ts";

export type { Axes4 };

interface Block {
  distance: number;
  acceleration: number;
  cruise: number;
  entry: number;
  maxEntry: number;
  safe: number;
  /** Entry is fixed because the previous block has already been timed. */
  locked: boolean;
}

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

export class MotionPlanner {
  limits: MachineLimits = defaultLimits();
  private blocks: Block[] = [];
  private prevAxisFeed: Axes4 = [0, 0, 0, 0];
  private prevCruise = 0;
  private prevSafe = 0;
  private hasPrev = false;
  private seconds = 0;

  /** Seconds accumulated so far (call `flush()` first for a final figure). */
  get elapsed(): number {
    return this.seconds;
  }

  /** Adds a non-motion wait (G4), after finishing every queued move, like Marlin's `planner.synchronize()`. */
  dwell(seconds: number): void {
    this.flush();
    this.seconds += seconds;
  }

  /** Queues one linear move; `delta` in mm, `feedrate` in mm/s. */
  move(delta: Axes4, feedrate: number): void {
    const [dx, dy, dz, de] = delta;
    const lim = this.limits;
    let distance = Math.sqrt(dx * dx + dy * dy + dz * dz);
    const extrusionOnly = distance < EPS;
    if (extrusionOnly) distance = Math.abs(de);
    if (distance < EPS) return;
    const travel = de === 0;
    let cruise = Math.max(feedrate, travel ? lim.minTravelFeedrate : lim.minExtrudingFeedrate);
    const inv = 1 / distance;

    let factor = 1;
    for (let a = 0; a < 4; a++) {
      const axisFeed = Math.abs(cruise * (delta[a] as number) * inv);
      const max = lim.maxFeedrate[a] as number;
      if (axisFeed > 0 && max > 0) factor = Math.min(factor, max / axisFeed);
    }
    cruise *= factor;

    let acceleration = travel
      ? lim.travelAcceleration
      : extrusionOnly
        ? lim.retractAcceleration
        : lim.printAcceleration;
    for (let a = 0; a < 4; a++) {
      const share = Math.abs(delta[a] as number) * inv;
      const max = lim.maxAcceleration[a] as number;
      if (share > 0 && max > 0 && acceleration * share > max) acceleration = max / share;
    }

    const axisFeed: Axes4 = [cruise * dx * inv, cruise * dy * inv, cruise * dz * inv, cruise * de * inv];
    let safe = cruise;
    for (let a = 0; a < 4; a++) {
      const jerk = lim.maxJerk[a] as number;
      if (Math.abs(axisFeed[a] as number) > jerk) safe = Math.min(safe, jerk);
    }

    let vmaxJunction = safe;
    if (this.hasPrev && this.prevCruise > 1e-4) {
      vmaxJunction =
        lim.junctionDeviation !== null
          ? this.deviationJunction(axisFeed, cruise, acceleration)
          : this.jerkJunction(axisFeed, cruise, safe);
    }
    const allowable = maxAllowableSpeed(acceleration, safe, distance);
    this.blocks.push({
      distance,
      acceleration,
      cruise,
      entry: Math.min(vmaxJunction, allowable),
      maxEntry: vmaxJunction,
      safe,
      locked: false,
    });
    this.prevAxisFeed = axisFeed;
    this.prevCruise = cruise;
    this.prevSafe = safe;
    this.hasPrev = true;
    if (this.blocks.length >= WINDOW) this.plan(FLUSH);
  }

  /** Marlin 1.x classic jerk junction (planner.cpp `_buffer_steps`, `#else // Classic Jerk Limiting`). */
  private jerkJunction(axisFeed: Axes4, cruise: number, safe: number): number {
    const prevLarger = this.prevCruise > cruise;
    const smaller = prevLarger ? cruise / this.prevCruise : this.prevCruise / cruise;
    let vmax = prevLarger ? cruise : this.prevCruise;
    let vFactor = 1;
    let limited = false;
    for (let a = 0; a < 4; a++) {
      let vExit = this.prevAxisFeed[a] as number;
      let vEntry = axisFeed[a] as number;
      if (prevLarger) vExit *= smaller;
      if (limited) {
        vExit *= vFactor;
        vEntry *= vFactor;
      }
      const jerk =
        vExit > vEntry
          ? vEntry > 0 || vExit < 0
            ? vExit - vEntry
            : Math.max(vExit, -vEntry)
          : vEntry < 0 || vExit > 0
            ? vEntry - vExit
            : Math.max(-vExit, vEntry);
      const maxJerk = this.limits.maxJerk[a] as number;
      if (jerk > maxJerk) {
        vFactor *= maxJerk / jerk;
        limited = true;
      }
    }
    if (limited) vmax *= vFactor;
    const threshold = vmax * 0.99;
    if (this.prevSafe > threshold && safe > threshold) vmax = safe;
    return vmax;
  }

  /** Marlin 2 junction deviation (planner.cpp, `#if HAS_JUNCTION_DEVIATION`): centripetal limit at the corner. */
  private deviationJunction(axisFeed: Axes4, cruise: number, acceleration: number): number {
    const prevNorm = Math.hypot(this.prevAxisFeed[0], this.prevAxisFeed[1], this.prevAxisFeed[2]);
    const norm = Math.hypot(axisFeed[0], axisFeed[1], axisFeed[2]);
    const limit = Math.min(cruise, this.prevCruise);
    if (prevNorm < EPS || norm < EPS) return Math.min(limit, this.limits.maxJerk[3]);
    let cos = 0;
    for (let a = 0; a < 3; a++)
      cos -= ((this.prevAxisFeed[a] as number) / prevNorm) * ((axisFeed[a] as number) / norm);
    cos = Math.max(-0.999999, Math.min(0.999999, cos));
    const sinHalf = Math.sqrt(0.5 * (1 - cos));
    const radius = ((this.limits.junctionDeviation ?? 0) * sinHalf) / (1 - sinHalf);
    return Math.min(limit, Math.sqrt(acceleration * radius));
  }

  /** Replans the window and times its first `count` blocks. */
  private plan(count: number): void {
    const blocks = this.blocks;
    // Reverse pass: each entry no higher than what the following block can decelerate from.
    for (let i = blocks.length - 1; i >= 0; i--) {
      const block = blocks[i] as Block;
      if (block.locked) continue;
      const next = blocks[i + 1];
      const nextEntry = next ? next.entry : block.safe;
      block.entry = Math.min(
        block.maxEntry,
        maxAllowableSpeed(block.acceleration, nextEntry, block.distance),
      );
    }
    // Forward pass: each entry no higher than what the previous block can accelerate to.
    for (let i = 1; i < blocks.length; i++) {
      const prev = blocks[i - 1] as Block;
      const block = blocks[i] as Block;
      if (block.locked) continue;
      if (prev.entry < block.entry) {
        block.entry = Math.min(block.entry, maxAllowableSpeed(prev.acceleration, prev.entry, prev.distance));
      }
    }
    const n = Math.min(count, blocks.length);
    for (let i = 0; i < n; i++) {
      const block = blocks[i] as Block;
      const next = blocks[i + 1];
      const exit = next ? next.entry : block.safe;
      this.seconds += trapezoidTime(
        block.distance,
        block.acceleration,
        block.entry,
        block.cruise,
        Math.min(exit, block.cruise),
      );
    }
    blocks.splice(0, n);
    const first = blocks[0];
    if (first) first.locked = true;
  }

  /** Times every queued move; the last one ends at its jerk-safe speed. */
  flush(): void {
    if (this.blocks.length > 0) this.plan(this.blocks.length);
  }
}
