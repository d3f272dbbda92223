import type { Logger } from "../util/log.ts";
import { AutoReporter } from "./auto-reporter.ts";
import type { SimConfig } from "./config.ts";
import type { EmergencyCommand } from "./emergency-parser.ts";
import { Executor } from "./executor.ts";
import { FaultInjector, type LineTrigger } from "./faults.ts";
import { MotionModel } from "./motion-model.ts";
import { Recorder } from "./recorder.ts";
import { BANNER, MSG, positionReport, temperatureReport } from "./replies.ts";
import type { Scheduler, Timer } from "./scheduler.ts";
import { SdCard } from "./sd-card.ts";
import { SerialIntake } from "./serial-intake.ts";
import { SimClock } from "./sim-clock.ts";
import { ThermalModel } from "./thermal-model.ts";

/** `off` before start()/after stop(); `booting` drops input; `killed` ignores everything until reset. */
export type FirmwareState = "off" | "booting" | "running" | "killed" | "unplugged";

/** How the firmware reaches its serial link. */
export interface FirmwareLink {
  /** Bytes the firmware sends (one or more whole lines). */
  transmit(bytes: Buffer): void;
  /** Delivers the bytes that have arrived on the wire by now, before a timer acts. */
  catchUp(): void;
  /** A fault unplugged the board. */
  disconnect(): void;
}

export type Injection =
  | { action: string }
  | { line: string }
  | { reset: true }
  | { disconnect: true }
  | { thermalRunaway: true };

export interface FirmwareStats {
  executed: number;
  lineErrors: number;
  lostBytes: number;
}

const LF = 0x0a;

/**
 * The simulated Marlin firmware: serial intake, command queue, motion, heaters, reports and
 * faults, on simulated time. Everything it does runs as a task: input, timers and injections
 * queue behind the task in progress, so a host answering synchronously never recurses into it.
 */
export class SimulatedFirmware {
  readonly config: SimConfig;
  readonly clock: SimClock;
  readonly motion: MotionModel;
  readonly thermal: ThermalModel;
  readonly sd = new SdCard();
  readonly faults: FaultInjector;
  readonly recorder: Recorder;
  readonly intake: SerialIntake;
  readonly #scheduler: Scheduler;
  readonly #link: FirmwareLink;
  readonly #logger: Logger | undefined;
  readonly #executor: Executor;
  readonly #timers = new Set<Timer>();
  readonly #tasks: (() => void)[] = [];
  #state: FirmwareState = "off";
  #busy = false;
  #out = "";
  #unplugPending = false;
  readonly #temperatureReport: AutoReporter;
  readonly #positionReport: AutoReporter;

  constructor(config: SimConfig, scheduler: Scheduler, link: FirmwareLink, logger?: Logger) {
    this.config = config;
    this.#scheduler = scheduler;
    this.#link = link;
    this.#logger = logger;
    this.clock = new SimClock(scheduler, config.speed);
    this.motion = new MotionModel(this.clock, config.plannerBlocks, config.junction);
    this.thermal = new ThermalModel(this.clock, config.capabilities.chamber);
    this.faults = new FaultInjector(config.faults, config.seed);
    this.recorder = new Recorder(config.record);
    this.intake = new SerialIntake(config, this.faults, {
      running: () => this.running(),
      emit: (line) => this.emit(line),
      emergency: (command) => this.#emergency(command),
      lineTrigger: (trigger) => this.#lineTrigger(trigger),
    });
    this.#executor = new Executor(this);
    const reporter = (line: () => string): AutoReporter =>
      new AutoReporter({
        timer: (at, task) => this.timer(at, task),
        now: () => this.clock.now(),
        emit: (l) => this.emit(l),
        line,
      });
    this.#temperatureReport = reporter(() => temperatureReport(this.thermal));
    this.#positionReport = reporter(() => positionReport(this.motion));
  }

  get state(): FirmwareState {
    return this.#state;
  }

  /** Every executed command, without line number and checksum (when recorded in memory). */
  get recording(): readonly string[] {
    return this.recorder.lines;
  }

  get stats(): FirmwareStats {
    return {
      executed: this.#executor.executed,
      lineErrors: this.intake.lineErrors,
      lostBytes: this.intake.lostBytes,
    };
  }

  /** Power on: boots and prints the banner (after `bootDelayMs`). */
  start(): void {
    this.recorder.start();
    this.thermal.allOff();
    this.#run(() => this.#boot());
  }

  /** Power off; resolves once the recording file is written. */
  async stop(): Promise<void> {
    this.#state = "off";
    this.#cancelTimers();
    this.#executor.reset();
    await this.recorder.close();
  }

  /** Bytes arriving at the UART. */
  receive(bytes: Buffer): void {
    this.#run(() => this.#accept(bytes));
  }

  /** A hardware reset (DTR pulse, reset button): banner again, line numbers from 0. */
  reset(): void {
    this.#run(() => this.#boot());
  }

  /** The board is powered again after being unplugged. */
  replug(): void {
    if (this.#state === "unplugged") this.reset();
  }

  /** Test hook: `{ action: "pause" }` prints `//action:pause`; `{ line }` prints any line. */
  inject(injection: Injection): void {
    this.#run(() => {
      if ("action" in injection) this.emit(`//action:${injection.action}`);
      else if ("line" in injection) this.emit(injection.line);
      else if ("reset" in injection) this.#boot();
      else if ("disconnect" in injection) this.#lineTrigger("disconnect");
      else this.#lineTrigger("thermal-runaway");
    });
  }

  running(): boolean {
    return this.#state === "running";
  }

  /** One output line; with the garbage fault, sometimes preceded by a line of random bytes. */
  emit(line: string): void {
    const garbage = this.faults.garbage();
    if (garbage !== null) this.#out += `${garbage}\n`;
    this.#out += `${line}\n`;
  }

  /** A firmware event at simulated time `at`: wire bytes due by then arrive first. */
  timer(at: number, task: () => void): Timer {
    const inner = this.clock.at(at, () => {
      this.#timers.delete(handle);
      this.#link.catchUp();
      this.#run(task);
    });
    const handle: Timer = {
      cancel: () => {
        inner.cancel();
        this.#timers.delete(handle);
      },
    };
    this.#timers.add(handle);
    return handle;
  }

  /** `kill()`: prints the reason, heaters off, and nothing more until a reset. */
  kill(...lines: string[]): void {
    for (const line of lines) this.emit(line);
    this.recorder.flush();
    this.#state = "killed";
    this.#cancelTimers();
    this.#executor.reset();
    this.thermal.disableAll();
    this.#logger?.warn({ reason: lines[0] }, "simulated firmware halted");
  }

  setTemperatureAutoreport(seconds: number): void {
    this.#temperatureReport.set(seconds);
  }

  setPositionAutoreport(seconds: number): void {
    this.#positionReport.set(seconds);
  }

  #run(task: () => void): void {
    this.#tasks.push(task);
    if (this.#busy) return;
    this.#busy = true;
    try {
      for (let next = this.#tasks.shift(); next !== undefined; next = this.#tasks.shift()) {
        next();
        this.#executor.pump();
        this.#flush();
      }
    } finally {
      this.#busy = false;
    }
  }

  #flush(): void {
    this.recorder.flush();
    if (this.#out !== "") {
      const bytes = Buffer.from(this.#out, "latin1");
      this.#out = "";
      this.#link.transmit(bytes);
    }
    if (this.#unplugPending) {
      this.#unplugPending = false;
      this.#link.disconnect();
    }
  }

  /**
   * Bytes on the UART, one line end at a time: the firmware runs between lines, so RX holds only
   * what the queue could not take yet; bytes that find RX full while nothing can drain it are lost.
   */
  #accept(bytes: Buffer): void {
    const intake = this.intake;
    let offset = 0;
    while (offset < bytes.length && this.running()) {
      const lf = bytes.indexOf(LF, offset);
      const end = lf === -1 ? bytes.length : lf + 1;
      offset += intake.store(bytes, offset, end - offset);
      while (offset < end && this.running()) {
        this.#executor.pump();
        if (intake.rxFree === 0) {
          intake.drop(bytes, offset, bytes.length - offset);
          return;
        }
        offset += intake.store(bytes, offset, end - offset);
      }
      this.#executor.pump();
    }
  }

  #boot(): void {
    this.#cancelTimers();
    this.intake.reset();
    this.#executor.reset();
    this.motion.reset();
    this.sd.reset();
    this.thermal.disableAll();
    this.#state = "booting";
    const ready = (): void => {
      this.#state = "running";
      for (const line of BANNER) this.emit(line);
    };
    if (this.config.bootDelayMs <= 0) ready();
    else {
      const timer = this.#scheduler.at(this.#scheduler.now() + this.config.bootDelayMs, () => {
        this.#timers.delete(timer);
        this.#run(ready);
      });
      this.#timers.add(timer);
    }
  }

  #emergency(command: EmergencyCommand): void {
    if (command === "M112") {
      this.recorder.record("M112");
      this.kill(MSG.killed);
    } else if (command === "M108") this.#executor.breakWait();
    else this.#executor.quickStop();
  }

  #lineTrigger(trigger: LineTrigger): void {
    this.#logger?.info({ trigger }, "simulated fault");
    if (trigger === "reset") this.#boot();
    else if (trigger === "thermal-runaway") this.kill(MSG.thermalRunaway, MSG.killed);
    else {
      this.#state = "unplugged";
      this.#cancelTimers();
      this.#executor.reset();
      this.#unplugPending = true;
    }
  }

  #cancelTimers(): void {
    for (const timer of this.#timers) timer.cancel();
    this.#timers.clear();
    this.#temperatureReport.stop();
    this.#positionReport.stop();
  }
}
