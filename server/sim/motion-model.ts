import { type Axes, defaultMotionLimits, type SimMotionLimits } from "./motion-limits.ts";
import {
  type Block,
  type JunctionModel,
  junctionLimit,
  type Previous,
  replan,
  trapezoidSeconds,
} from "./planner.ts";
import type { SimClock } from "./sim-clock.ts";

export type { Axes };

/** DEFAULT_AXIS_STEPS_PER_UNIT of a typical Cartesian printer, for M114's `Count` line. */
export const STEPS_PER_MM = { x: 80, y: 80, z: 400 } as const;

/** Marlin boots with `feedrate_mm_s = MMM_TO_MMS(1500)`. */
const DEFAULT_FEEDRATE_MM_S = 25;
const EPS = 1e-6;

/**
 * Positions, modes and the planner queue (`Marlin/src/module/planner.cpp`, see planner.ts): blocks run
 * back to back on simulated time, each with the speed profile the look-ahead gave it. The planner ring
 * holds `BLOCK_BUFFER_SIZE - 1` blocks: `moves_free()` is 15 when idle.
 */
export class MotionModel {
  readonly position: Axes = { x: 0, y: 0, z: 0, e: 0 };
  absolute = true;
  relativeE = false;
  feedrateMmS = DEFAULT_FEEDRATE_MM_S;
  /** M201/M203/M204/M205 settings; `reset()` restores the power-up values. */
  limits: SimMotionLimits = defaultMotionLimits();
  readonly #clock: SimClock;
  readonly #capacity: number;
  readonly #junction: JunctionModel;
  /** Queued and running blocks, oldest first (at most `#capacity`). */
  #blocks: Block[] = [];
  #previous: Previous | null = null;
  readonly #stepper = { x: 0, y: 0, z: 0 };

  constructor(clock: SimClock, plannerBlocks: number, junction: JunctionModel = "junction-deviation") {
    this.#clock = clock;
    this.#capacity = plannerBlocks - 1;
    this.#junction = junction;
  }

  /** Planner blocks still queued or running. */
  movesPlanned(): number {
    this.#retire(this.#clock.now());
    return this.#blocks.length;
  }

  /** `planner.moves_free()`: BLOCK_BUFFER_SIZE - 1 - movesplanned(). */
  movesFree(): number {
    return this.#capacity - this.movesPlanned();
  }

  isFull(): boolean {
    return this.movesPlanned() >= this.#capacity;
  }

  /** When the oldest block finishes (a slot frees). */
  nextFreeAt(): number {
    return this.#blocks[0]?.end ?? this.#clock.now();
  }

  /** When the last block finishes (`planner.synchronize()` returns). */
  emptyAt(): number {
    if (this.movesPlanned() === 0) return this.#clock.now();
    return (this.#blocks[this.#blocks.length - 1] as Block).end;
  }

  /** Appends a move to `target` (logical mm); the caller checks `isFull()` first. */
  move(target: Axes, feedrateMmS: number): void {
    const d = {
      x: target.x - this.position.x,
      y: target.y - this.position.y,
      z: target.z - this.position.z,
      e: target.e - this.position.e,
    };
    const xyz = Math.sqrt(d.x * d.x + d.y * d.y + d.z * d.z);
    if (xyz > EPS) this.#plan(xyz, d, false, feedrateMmS, target);
    else this.#plan(Math.abs(d.e), d, true, feedrateMmS, target);
  }

  /** An arc (G2/G3) as one block of its path length, heading along its chord. */
  arc(target: Axes, lengthMm: number, feedrateMmS: number): void {
    const d = {
      x: target.x - this.position.x,
      y: target.y - this.position.y,
      z: target.z - this.position.z,
      e: target.e - this.position.e,
    };
    const chord = Math.max(Math.sqrt(d.x * d.x + d.y * d.y + d.z * d.z), EPS);
    const scale = lengthMm / chord;
    this.#plan(
      lengthMm,
      { x: d.x * scale, y: d.y * scale, z: d.z * scale, e: d.e },
      false,
      feedrateMmS,
      target,
    );
  }

  /** Homing: the axes end at 0, as if G28 had moved there. */
  home(axes: { x: boolean; y: boolean; z: boolean }): void {
    for (const axis of ["x", "y", "z"] as const) {
      if (!axes[axis]) continue;
      this.position[axis] = 0;
      this.#stepper[axis] = 0;
    }
  }

  /** G92: the current position is renamed; no motion. */
  setPosition(values: Partial<Axes>): void {
    Object.assign(this.position, values);
    for (const axis of ["x", "y", "z"] as const) {
      const v = values[axis];
      if (v !== undefined && this.#blocks.length === 0) this.#stepper[axis] = v;
    }
  }

  /** M410: every planned block is dropped; the head stays where the steppers are. */
  quickStop(): void {
    this.#retire(this.#clock.now());
    this.#blocks = [];
    this.#previous = null;
    this.position.x = this.#stepper.x;
    this.position.y = this.#stepper.y;
    this.position.z = this.#stepper.z;
  }

  /** Power-up state. */
  reset(): void {
    Object.assign(this.position, { x: 0, y: 0, z: 0, e: 0 });
    Object.assign(this.#stepper, { x: 0, y: 0, z: 0 });
    this.absolute = true;
    this.relativeE = false;
    this.feedrateMmS = DEFAULT_FEEDRATE_MM_S;
    this.limits = defaultMotionLimits();
    this.#blocks = [];
    this.#previous = null;
  }

  /** Where the steppers are: completed blocks only (`Count X:800 Y:1600 Z:120`). */
  stepperCounts(): { x: number; y: number; z: number } {
    this.#retire(this.#clock.now());
    return {
      x: Math.round(this.#stepper.x * STEPS_PER_MM.x),
      y: Math.round(this.#stepper.y * STEPS_PER_MM.y),
      z: Math.round(this.#stepper.z * STEPS_PER_MM.z),
    };
  }

  /** `distance` mm along `d` (the axis deltas, for direction and per-axis limits) at `feedrate` mm/s. */
  #plan(distance: number, d: Axes, extruderOnly: boolean, feedrate: number, target: Axes): void {
    Object.assign(this.position, target);
    if (distance <= EPS) return;
    if (this.#clock.zeroTime) {
      this.#stepper.x = target.x;
      this.#stepper.y = target.y;
      this.#stepper.z = target.z;
      return;
    }
    const now = this.#clock.now();
    this.#retire(now);
    const lim = this.limits;
    const extruding = Math.abs(d.e) > EPS;
    let nominal = Math.max(feedrate, extruding ? lim.minFeedrate : lim.minTravelFeedrate, 1e-3);
    const inv = 1 / distance;
    let accel = !extruding
      ? lim.travelAcceleration
      : extruderOnly
        ? lim.retractAcceleration
        : lim.acceleration;
    for (const axis of ["x", "y", "z", "e"] as const) {
      const share = Math.abs(d[axis]) * inv;
      if (share < EPS) continue;
      nominal = Math.min(nominal, lim.maxFeedrate[axis] / share);
      accel = Math.min(accel, lim.maxAcceleration[axis] / share);
    }
    const v = {
      x: d.x * inv * nominal,
      y: d.y * inv * nominal,
      z: d.z * inv * nominal,
      e: d.e * inv * nominal,
    };
    const previous = this.#blocks.length === 0 ? null : this.#previous;
    const { maxEntry, safe } = junctionLimit(this.#junction, lim, v, nominal, accel, previous);
    this.#previous = { ...v, nominal, safe };
    this.#blocks.push({
      distance,
      acceleration: accel,
      nominal,
      maxEntry,
      entry: 0,
      entryFixed: false,
      start: now,
      end: now,
      x: target.x,
      y: target.y,
      z: target.z,
    });
    this.#schedule(now);
  }

  /** Replans the blocks that have not started and gives them start and end times. */
  #schedule(now: number): void {
    const blocks = this.#blocks;
    const head = blocks[0] as Block;
    const running = head.start < now;
    replan(blocks, running ? 2 : head.entryFixed ? 1 : 0);
    let t = running ? head.end : head.start;
    for (let i = running ? 1 : 0; i < blocks.length; i++) {
      const b = blocks[i] as Block;
      const exit = blocks[i + 1]?.entry ?? 0;
      b.start = t;
      b.end =
        t + this.#clock.span(trapezoidSeconds(b.distance, b.acceleration, b.entry, b.nominal, exit) * 1000);
      t = b.end;
    }
  }

  #retire(now: number): void {
    const blocks = this.#blocks;
    let done = 0;
    while (done < blocks.length && (blocks[done] as Block).end <= now) done++;
    if (done === 0) return;
    const last = blocks[done - 1] as Block;
    this.#stepper.x = last.x;
    this.#stepper.y = last.y;
    this.#stepper.z = last.z;
    blocks.splice(0, done);
    const next = blocks[0];
    if (next !== undefined) next.entryFixed = true;
  }
}
