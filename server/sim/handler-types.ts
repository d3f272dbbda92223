import type { Params, ParsedCommand } from "./command.ts";
import type { SimConfig } from "./config.ts";
import type { MotionModel } from "./motion-model.ts";
import type { Timer } from "./scheduler.ts";
import type { SdCard } from "./sd-card.ts";
import type { SimClock } from "./sim-clock.ts";
import type { ThermalModel } from "./thermal-model.ts";

/** Marlin's `busy_state` while a command blocks (`Marlin/src/gcode/gcode.h` `MarlinBusyState`). */
export type BusyState = "processing" | "paused for user";

/**
 * A command that has not finished: the firmware calls `resume()` once simulated time reaches `at`
 * (or earlier, when M108/M410 wake it). `resume()` re-checks its condition and returns the next
 * wait, or undefined when the command is done.
 */
export interface Wait {
  readonly at: number;
  readonly busy?: BusyState;
  resume(): Wait | undefined;
}

export type HandlerResult = Wait | undefined;

/** What a command handler may touch. */
export interface HandlerContext {
  readonly config: SimConfig;
  readonly clock: SimClock;
  readonly motion: MotionModel;
  readonly thermal: ThermalModel;
  readonly sd: SdCard;
  readonly params: Params;
  /** Prints one line (no line end). */
  emit(line: string): void;
  /** The handler printed its own `ok` (M105) or none at all. */
  skipOk(): void;
  /** True once M108 arrived since `beginInterruptibleWait()` (Marlin's `wait_for_heatup = false`). */
  readonly waitBroken: boolean;
  beginInterruptibleWait(): void;
  /** M110: the next expected line is `n + 1`. */
  setLastLineNumber(n: number): void;
  /** `Resend: <last+1>` + `ok`, as M999 does. */
  requestResend(): void;
  /** M112 and friends: prints the lines, then the firmware ignores everything until reset. */
  kill(...lines: string[]): void;
  /** M155 S<n>; 0 stops. */
  setTemperatureAutoreport(seconds: number): void;
  /** M154 S<n>; 0 stops. */
  setPositionAutoreport(seconds: number): void;
  /** M113 S<n>. */
  setKeepaliveInterval(seconds: number): void;
  /** Runs `task` at simulated time `at` as a firmware event (cancelled by a reset). */
  later(at: number, task: () => void): Timer;
}

export type Handler = (ctx: HandlerContext, command: ParsedCommand) => HandlerResult;

/** A wait that ends at simulated time `end`. */
export function waitUntil(
  ctx: HandlerContext,
  end: number,
  then: () => HandlerResult,
  busy?: BusyState,
): HandlerResult {
  if (ctx.clock.now() >= end) return then();
  const wait: Wait = { at: end, resume: () => waitUntil(ctx, end, then, busy) };
  return busy === undefined ? wait : { ...wait, busy };
}

/** `planner.synchronize()`: waits until every planned move has finished. */
export function synchronize(ctx: HandlerContext, then: () => HandlerResult): HandlerResult {
  const at = ctx.motion.emptyAt();
  if (at <= ctx.clock.now()) return then();
  return { at, resume: () => synchronize(ctx, then) };
}
