import { Params, type ParsedCommand, parseCommand, type QueuedCommand } from "./command.ts";
import type { SimConfig } from "./config.ts";
import type { FaultInjector } from "./faults.ts";
import type { BusyState, HandlerContext, HandlerResult, Wait } from "./handler-types.ts";
import { HandlerTable } from "./handlers/command-handlers.ts";
import type { MotionModel } from "./motion-model.ts";
import type { Recorder } from "./recorder.ts";
import { MSG, okLine } from "./replies.ts";
import type { Timer } from "./scheduler.ts";
import type { SdCard } from "./sd-card.ts";
import type { SerialIntake } from "./serial-intake.ts";
import type { SimClock } from "./sim-clock.ts";
import type { ThermalModel } from "./thermal-model.ts";

export interface ExecutorHost {
  readonly config: SimConfig;
  readonly clock: SimClock;
  readonly motion: MotionModel;
  readonly thermal: ThermalModel;
  readonly sd: SdCard;
  readonly faults: FaultInjector;
  readonly recorder: Recorder;
  readonly intake: SerialIntake;
  running(): boolean;
  emit(line: string): void;
  /** A firmware event at simulated time `at`; reset and kill cancel it. */
  timer(at: number, task: () => void): Timer;
  kill(...lines: string[]): void;
  setTemperatureAutoreport(seconds: number): void;
  setPositionAutoreport(seconds: number): void;
}

/**
 * The command queue (BUFSIZE slots) and its execution, one command at a time, as Marlin's
 * `loop()` → `queue.advance()` → `process_next_command()`: intake fills free slots whenever it runs
 * (also while a command blocks: `idle()` → `manage_inactivity()` → `get_available_commands()`), a
 * command keeps its slot until its `ok` is out, and HOST_KEEPALIVE prints `busy:` while it blocks.
 */
export class Executor implements HandlerContext {
  readonly queue: QueuedCommand[] = [];
  readonly params = new Params();
  executed = 0;
  readonly #host: ExecutorHost;
  readonly #table: HandlerTable;
  #current: QueuedCommand | null = null;
  #parked: Wait | undefined;
  #waitTimer: Timer | undefined;
  #wake = false;
  #skipOk = false;
  #waitBroken = false;
  #keepaliveSeconds: number;
  #keepaliveTimer: Timer | undefined;

  constructor(host: ExecutorHost) {
    this.#host = host;
    this.#table = new HandlerTable(host.config);
    this.#keepaliveSeconds = host.config.keepaliveSeconds;
  }

  get config(): SimConfig {
    return this.#host.config;
  }
  get clock(): SimClock {
    return this.#host.clock;
  }
  get motion(): MotionModel {
    return this.#host.motion;
  }
  get thermal(): ThermalModel {
    return this.#host.thermal;
  }
  get sd(): SdCard {
    return this.#host.sd;
  }
  get waitBroken(): boolean {
    return this.#waitBroken;
  }

  /** Moves complete lines into free slots and runs commands until one blocks or none is left. */
  pump(): void {
    const host = this.#host;
    const slots = host.config.commandBufferSlots;
    while (host.running()) {
      while (this.queue.length < slots) {
        const command = host.intake.next();
        if (command === null || !host.running()) break;
        this.queue.push(command);
      }
      if (!host.running()) return;
      if (this.#parked !== undefined) {
        if (!this.#wake) return;
        this.#resumeParked();
        continue;
      }
      const next = this.queue[0];
      if (this.#current !== null || next === undefined) return;
      this.#start(next);
    }
  }

  /** M108 (early or emergency): a heat or user wait in progress ends now. */
  breakWait(): void {
    this.#waitBroken = true;
    this.#wake = true;
  }

  /** M410 (early or emergency): planned moves are dropped; a command waiting on them re-checks. */
  quickStop(): void {
    this.#host.motion.quickStop();
    this.#wake = true;
  }

  /** Drops the queue and whatever was running (reset, kill). */
  reset(): void {
    this.queue.length = 0;
    this.#current = null;
    this.#parked = undefined;
    this.#waitTimer?.cancel();
    this.#waitTimer = undefined;
    this.#stopKeepalive();
    this.#wake = false;
    this.#waitBroken = false;
    this.#keepaliveSeconds = this.#host.config.keepaliveSeconds;
  }

  emit(line: string): void {
    this.#host.emit(line);
  }
  skipOk(): void {
    this.#skipOk = true;
  }
  beginInterruptibleWait(): void {
    this.#waitBroken = false;
  }
  setLastLineNumber(n: number): void {
    this.#host.intake.lastN = n;
  }
  requestResend(): void {
    this.#host.intake.requestResend();
  }
  kill(...lines: string[]): void {
    this.#host.kill(...lines);
  }
  setTemperatureAutoreport(seconds: number): void {
    this.#host.setTemperatureAutoreport(seconds);
  }
  setPositionAutoreport(seconds: number): void {
    this.#host.setPositionAutoreport(seconds);
  }
  setKeepaliveInterval(seconds: number): void {
    this.#keepaliveSeconds = seconds;
  }
  later(at: number, task: () => void): Timer {
    return this.#host.timer(at, task);
  }

  #start(command: QueuedCommand): void {
    const host = this.#host;
    this.#current = command;
    this.#skipOk = false;
    this.executed++;
    const parsed = parseCommand(command.line);
    host.recorder.record(parsed.text);
    this.params.parse(parsed.args);
    const run = (): HandlerResult => this.#handle(parsed);
    const processing = host.clock.span(host.config.commandTimeMs);
    this.#advance(processing > 0 ? { at: host.clock.now() + processing, resume: run } : run());
  }

  #handle(parsed: ParsedCommand): HandlerResult {
    const handler = this.#table.lookup(parsed.letter, parsed.code);
    if (handler !== undefined) return handler(this, parsed);
    // `GCodeParser::unknown_command_warning()`, then the usual `ok`.
    this.emit(`echo:Unknown command: "${parsed.text}"`);
    return undefined;
  }

  #advance(first: HandlerResult): void {
    let wait = first;
    while (wait !== undefined) {
      if (!this.#host.running() || this.#current === null) return;
      if (wait.at > this.#host.clock.now()) {
        this.#park(wait);
        return;
      }
      wait = wait.resume();
    }
    if (this.#host.running() && this.#current !== null) this.#finish(this.#current);
  }

  #park(wait: Wait): void {
    this.#parked = wait;
    this.#waitTimer = this.#host.timer(wait.at, () => {
      this.#waitTimer = undefined;
      this.#wake = true;
    });
    if (this.#keepaliveTimer === undefined) this.#startKeepalive();
  }

  #resumeParked(): void {
    const wait = this.#parked;
    this.#wake = false;
    this.#parked = undefined;
    this.#waitTimer?.cancel();
    this.#waitTimer = undefined;
    if (wait !== undefined) this.#advance(wait.resume());
  }

  #finish(command: QueuedCommand): void {
    this.#stopKeepalive();
    if (!this.#skipOk && !(command.lineNumber !== null && this.#host.faults.dropOk())) {
      const host = this.#host;
      const free = host.config.commandBufferSlots - this.queue.length;
      this.emit(
        okLine(host.config.capabilities.advancedOk, lineNumberText(command), host.motion.movesFree(), free),
      );
    }
    this.queue.shift();
    this.#current = null;
  }

  /** `host_keepalive()`: the first `busy:` comes one interval after the command started. */
  #startKeepalive(): void {
    const host = this.#host;
    if (!host.config.capabilities.busyProtocol || this.#keepaliveSeconds <= 0) return;
    const period = this.#keepaliveSeconds * 1000;
    const tick = (at: number): void => {
      this.#keepaliveTimer = host.timer(at, () => {
        const busy: BusyState = this.#parked?.busy ?? "processing";
        this.emit(busy === "processing" ? MSG.busyProcessing : MSG.busyPausedForUser);
        tick(at + period);
      });
    };
    tick(host.clock.now() + period);
  }

  #stopKeepalive(): void {
    this.#keepaliveTimer?.cancel();
    this.#keepaliveTimer = undefined;
  }
}

/** The characters after a leading `N` (`ok_to_send()` copies them while NUMERIC_SIGNED). */
function lineNumberText(command: QueuedCommand): string | null {
  if (command.lineNumber === null) return null;
  const line = command.line;
  let end = 1;
  for (; end < line.length; end++) {
    const c = line.charCodeAt(end);
    if (!((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2b)) break;
  }
  return line.slice(1, end);
}
