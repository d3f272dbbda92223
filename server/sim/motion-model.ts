import type { SimClock } from "./sim-clock.ts";

/** DEFAULT_AXIS_STEPS_PER_UNIT of a typical Cartesian printer, for M114's `Count` line. */
export const STEPS_PER_MM = { x: 80, y: 80, z: 400 } as const;

/** DEFAULT_MAX_FEEDRATE (mm/s) per kind of move, and DEFAULT_ACCELERATION (mm/s²). */
const MAX_XY_MM_S = 300;
const MAX_Z_MM_S = 5;
const MAX_E_MM_S = 25;
const ACCELERATION = 1000;
/** Marlin boots with `feedrate_mm_s = MMM_TO_MMS(1500)`. */
const DEFAULT_FEEDRATE_MM_S = 25;

export interface Axes {
  x: number;
  y: number;
  z: number;
  e: number;
}

/**
 * Positions, modes and the planner (`Marlin/src/module/planner.cpp`). Each block runs after the
 * previous one; a block appended to an empty planner pays for accelerating from and decelerating to
 * rest, a block behind others is assumed to cruise at its feedrate (junction speed ≈ cruise speed).
 * The planner ring holds `BLOCK_BUFFER_SIZE - 1` blocks: `moves_free()` is 15 when idle.
 */
export class MotionModel {
  readonly position: Axes = { x: 0, y: 0, z: 0, e: 0 };
  absolute = true;
  relativeE = false;
  feedrateMmS = DEFAULT_FEEDRATE_MM_S;
  readonly #clock: SimClock;
  readonly #capacity: number;
  readonly #ends: Float64Array;
  readonly #endPositions: Float64Array;
  #head = 0;
  #count = 0;
  readonly #stepper = { x: 0, y: 0, z: 0 };

  constructor(clock: SimClock, plannerBlocks: number) {
    this.#clock = clock;
    this.#capacity = plannerBlocks - 1;
    this.#ends = new Float64Array(this.#capacity);
    this.#endPositions = new Float64Array(this.#capacity * 3);
  }

  /** Planner blocks still queued or running. */
  movesPlanned(): number {
    this.#retire(this.#clock.now());
    return this.#count;
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
    return this.#count === 0 ? this.#clock.now() : (this.#ends[this.#head] as number);
  }

  /** When the last block finishes (`planner.synchronize()` returns). */
  emptyAt(): number {
    if (this.movesPlanned() === 0) return this.#clock.now();
    return this.#ends[(this.#head + this.#count - 1) % this.#capacity] as number;
  }

  /** Appends a move to `target` (logical mm); the caller checks `isFull()` first. */
  move(target: Axes, feedrateMmS: number): void {
    const from = this.position;
    const dx = target.x - from.x;
    const dy = target.y - from.y;
    const dz = target.z - from.z;
    const de = target.e - from.e;
    const xyz = Math.sqrt(dx * dx + dy * dy + dz * dz);
    this.#plan(xyz > 1e-6 ? xyz : Math.abs(de), limitFeedrate(feedrateMmS, dx, dy, dz, xyz), target);
  }

  /** An arc (G2/G3) as one block of its path length. */
  arc(target: Axes, lengthMm: number, feedrateMmS: number): void {
    this.#plan(lengthMm, Math.min(feedrateMmS, MAX_XY_MM_S), target);
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
      if (v !== undefined && this.#count === 0) this.#stepper[axis] = v;
    }
  }

  /** M410: every planned block is dropped; the head stays where the steppers are. */
  quickStop(): void {
    this.#retire(this.#clock.now());
    this.#count = 0;
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
    this.#head = 0;
    this.#count = 0;
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

  #plan(distance: number, speed: number, target: Axes): void {
    Object.assign(this.position, target);
    if (distance <= 1e-6) return;
    const now = this.#clock.now();
    const fromRest = this.movesPlanned() === 0;
    const cruise = distance / speed;
    const ramps = fromRest ? rampTime(distance, speed) : 0;
    const duration = this.#clock.span((cruise + ramps) * 1000);
    const start = fromRest ? now : this.emptyAt();
    if (duration === 0) {
      this.#stepper.x = target.x;
      this.#stepper.y = target.y;
      this.#stepper.z = target.z;
      return;
    }
    const slot = (this.#head + this.#count) % this.#capacity;
    this.#ends[slot] = start + duration;
    this.#endPositions[slot * 3] = target.x;
    this.#endPositions[slot * 3 + 1] = target.y;
    this.#endPositions[slot * 3 + 2] = target.z;
    this.#count++;
  }

  #retire(now: number): void {
    while (this.#count > 0 && (this.#ends[this.#head] as number) <= now) {
      const p = this.#head * 3;
      this.#stepper.x = this.#endPositions[p] as number;
      this.#stepper.y = this.#endPositions[p + 1] as number;
      this.#stepper.z = this.#endPositions[p + 2] as number;
      this.#head = (this.#head + 1) % this.#capacity;
      this.#count--;
    }
  }
}

/** Extra time of a trapezoid from and to rest over the same distance at constant speed. */
function rampTime(distance: number, speed: number): number {
  if (distance >= (speed * speed) / ACCELERATION) return speed / ACCELERATION;
  return 2 * Math.sqrt(distance / ACCELERATION) - distance / speed;
}

function limitFeedrate(feedrate: number, dx: number, dy: number, dz: number, xyz: number): number {
  if (xyz <= 1e-6) return Math.min(feedrate, MAX_E_MM_S);
  let limit = MAX_XY_MM_S;
  if (Math.abs(dz) > 1e-9) limit = Math.min(limit, (MAX_Z_MM_S * xyz) / Math.abs(dz));
  if (Math.abs(dx) + Math.abs(dy) === 0) limit = Math.min(limit, MAX_Z_MM_S);
  return Math.max(1e-3, Math.min(feedrate, limit));
}
