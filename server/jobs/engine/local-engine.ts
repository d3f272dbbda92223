import type { FirmwareInfo, Printer } from "../../printer/printer.ts";
import type { PrinterState, StateChange } from "../../printer/state-machine.ts";
import { HostError } from "../../util/errors.ts";
import { type Logger, namespaced } from "../../util/log.ts";
import type { JobController } from "../control/job-controller.ts";
import type { JobOutcome } from "../control/job-ports.ts";
import type { RecoveryStore } from "../recovery/recovery-store.ts";
import type {
  Engine,
  EngineConnectOptions,
  EngineEvents,
  EngineJobSettings,
  EnginePrintOptions,
  EngineSnapshot,
  FirmwareSummary,
  Unsubscribe,
} from "./engine.ts";
import { EngineEventHub } from "./engine-event-hub.ts";
import { toEngineError } from "./engine-protocol.ts";
import { type EngineRecords, recordEngine } from "./engine-recorder.ts";
import type { EngineEvent, EngineEventName } from "./engine-snapshot.ts";

export interface LocalEngineDeps {
  printer: Printer;
  /** Built on `printer`; started and stopped by the engine. */
  jobs: JobController;
  /** The store the job controller writes; the engine reads the interrupted print from it. */
  recovery: RecoveryStore;
  records: EngineRecords;
  log: Logger;
  /** The device path `connect({ port: "virtual" })` opens (the in-process simulator's); null: none. */
  virtualPath: string | null;
}

const RUNNING: readonly PrinterState[] = ["printing", "pausing", "paused", "resuming"];

/**
 * The Engine in the calling thread: the Printer and its JobController, with the snapshot kept
 * current from their events. Job events the controller does not emit are derived from the state
 * machine: `started` on idle → printing, `paused` on → paused (with the controller's `pausedBy`),
 * `resumed` on resuming → printing. Construct, `start()`, use, `stop()`.
 */
export class LocalEngine implements Engine {
  readonly #deps: LocalEngineDeps;
  readonly #hub: EngineEventHub;
  #off: Unsubscribe[] = [];
  /** Who asked for the print being started (print() and resumeInterrupted() set it around the call). */
  #startUser: string | null = null;
  #stopped = false;

  constructor(deps: LocalEngineDeps) {
    this.#deps = deps;
    this.#hub = new EngineEventHub(namespaced(deps.log, "engine"));
  }

  /** For tests and the inline composition: the parts this engine is made of. */
  get printer(): Printer {
    return this.#deps.printer;
  }

  get jobs(): JobController {
    return this.#deps.jobs;
  }

  /** Subscribes to the printer and jobs, starts the job controller, loads the interrupted print. */
  async start(): Promise<void> {
    const { printer, jobs, recovery, records, log } = this.#deps;
    this.#hub.reset({
      ...this.#hub.snapshot,
      state: printer.state,
      firmware: printer.firmware === null ? null : this.#summary(printer.firmware),
      temperatures: printer.lastTemperatures,
    });
    this.#off = [
      recordEngine(this, records, namespaced(log, "printer")),
      printer.on("state", (change) => this.#onState(change)),
      printer.on("firmware", (info) => this.#emit("firmware", this.#summary(info))),
      printer.on("temperatures", (report) => this.#emit("temperatures", report)),
      printer.on("line", (direction, text) => this.#emit("line", direction, text)),
      printer.on("action", (action, params) => this.#emit("action", action, params)),
      printer.on("failure", (err) => this.#emit("failure", toEngineError(err))),
      jobs.on("progress", (progress) => this.#emit("progress", progress)),
      jobs.on("layer", (layer, z) => this.#onLayer(layer, z)),
      jobs.on("finished", (outcome) => this.#onFinished(outcome)),
    ];
    jobs.start();
    const point = await recovery.load();
    if (point !== null) this.#emit("interrupted", point);
  }

  snapshot(): EngineSnapshot {
    return this.#hub.snapshot;
  }

  on<K extends EngineEventName>(event: K, listener: (...args: EngineEvents[K]) => void): Unsubscribe {
    return this.#hub.on(event, listener);
  }

  async connect(options: EngineConnectOptions): Promise<FirmwareSummary> {
    const { printer } = this.#deps;
    const state = printer.state;
    if (state !== "disconnected" && state !== "error") {
      throw new HostError("INVALID_STATE", `cannot connect: the printer is ${state}`, { state });
    }
    // A link that failed may still be open: closed first, so the port is free again.
    if (state === "error") await printer.disconnect();
    const info = await printer.connect({
      path: this.#devicePath(options.port),
      ...(options.baudRate !== undefined ? { baudRate: options.baudRate } : {}),
      ...(options.profile !== undefined ? { profile: options.profile } : {}),
      ...(options.flow !== undefined ? { flow: options.flow } : {}),
    });
    return this.#summary(info);
  }

  async disconnect(): Promise<void> {
    const { printer, jobs } = this.#deps;
    const finished = jobs.whenFinished();
    if (finished !== null) {
      if (RUNNING.includes(printer.state)) await jobs.cancel("the printer was disconnected").catch(() => {});
      await finished;
    }
    await printer.disconnect();
  }

  async send(command: string): Promise<void> {
    const { printer } = this.#deps;
    if (printer.window === null) {
      throw new HostError("INVALID_STATE", `cannot send ${command}: the printer is ${printer.state}`);
    }
    this.#emit("line", "send", command);
    await printer.send(command);
  }

  async print(file: string, options: EnginePrintOptions = {}): Promise<number> {
    const user = options.user ?? null;
    this.#startUser = user;
    try {
      return await this.#deps.jobs.print(file, { user });
    } finally {
      this.#startUser = null;
    }
  }

  async pause(): Promise<void> {
    await this.#deps.jobs.pause("user");
  }

  async configure(settings: EngineJobSettings): Promise<void> {
    this.#deps.jobs.configure(settings);
  }

  async resume(): Promise<void> {
    await this.#deps.jobs.resume();
  }

  async cancel(reason?: string): Promise<JobOutcome> {
    return this.#deps.jobs.cancel(reason);
  }

  async emergencyStop(): Promise<void> {
    this.#deps.jobs.emergencyStop();
  }

  async resumeInterrupted(layer: number, user: string | null = null): Promise<number> {
    const point = this.#hub.snapshot.interrupted;
    if (point === null) throw new HostError("NOT_FOUND", "there is no interrupted print to resume");
    this.#startUser = user;
    try {
      return await this.#deps.jobs.resumeInterrupted(point, layer, user);
    } finally {
      this.#startUser = null;
    }
  }

  async discardInterrupted(): Promise<void> {
    const { jobs, recovery } = this.#deps;
    // While a print runs the store holds that print's own point.
    if (jobs.whenFinished() !== null) {
      throw new HostError(
        "INVALID_STATE",
        "a print is running: its recovery point is not an interrupted one",
      );
    }
    await recovery.clear();
    if (this.#hub.snapshot.interrupted !== null) this.#emit("interrupted", null);
  }

  whenFinished(): Promise<JobOutcome> | null {
    return this.#deps.jobs.whenFinished();
  }

  /** A running print is stopped with its heaters off and kept for recovery; then the link closes. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const { printer, jobs } = this.#deps;
    try {
      await jobs.stop();
      await printer.disconnect();
    } finally {
      for (const off of this.#off) off();
      this.#off = [];
    }
  }

  #emit<K extends EngineEventName>(event: K, ...args: EngineEvents[K]): void {
    this.#hub.publish({ event, args } as EngineEvent);
  }

  #onState(change: StateChange): void {
    const { jobs } = this.#deps;
    this.#emit("state", change);
    if (change.from === "idle" && change.to === "printing") {
      // The controller has its run by now (it calls Printer.print after recording the job).
      const file = jobs.currentFile ?? "";
      const jobId = jobs.progress()?.jobId ?? 0;
      this.#emit("started", { jobId, file, user: this.#startUser });
      // A new print's recovery point replaces the interrupted one in the store.
      if (this.#hub.snapshot.interrupted !== null) this.#emit("interrupted", null);
    } else if (change.to === "paused") {
      this.#emit("paused", jobs.pausedBy ?? "user");
    } else if (change.from === "resuming" && change.to === "printing") {
      this.#emit("resumed");
    }
  }

  #onLayer(layer: number, z: number): void {
    this.#emit("layer", layer, z);
    const progress = this.#deps.jobs.progress();
    if (progress !== null) this.#emit("progress", progress);
  }

  #onFinished(outcome: JobOutcome): void {
    this.#emit("finished", outcome);
    // A failed print leaves its point in the store, marked interrupted (unless an emergency stop ended it).
    if (outcome.result === "failed" && !this.#stopped) void this.#offerInterrupted();
  }

  async #offerInterrupted(): Promise<void> {
    const point = await this.#deps.recovery.load().catch(() => null);
    if (point?.state === "interrupted" && !this.#stopped && this.#deps.jobs.whenFinished() === null) {
      this.#emit("interrupted", point);
    }
  }

  #devicePath(port: string): string {
    if (port !== "virtual") return port;
    const path = this.#deps.virtualPath;
    if (path === null) throw new HostError("CONFIG", "this daemon has no built-in simulated printer");
    return path;
  }

  #summary(info: FirmwareInfo): FirmwareSummary {
    const link = this.#deps.printer.link;
    const path = link?.path ?? "";
    return {
      name: info.name,
      fields: info.fields,
      profile: info.profile,
      capabilities: info.capabilities,
      port: path === this.#deps.virtualPath ? "virtual" : path,
      baudRate: link?.baudRate ?? 0,
    };
  }
}
