import type { JobOutcome } from "../../../../server/jobs/control/job-ports.ts";
import type {
  Engine,
  EngineConnectOptions,
  EngineEvents,
  EnginePrintOptions,
  EngineSnapshot,
  FirmwareSummary,
  Unsubscribe,
} from "../../../../server/jobs/engine/engine.ts";
import { initialSnapshot } from "../../../../server/jobs/engine/engine-snapshot.ts";
import { loadFirmwareProfile } from "../../../../server/printer/firmware-profile.ts";
import type { PrinterState } from "../../../../server/printer/state-machine.ts";
import { HostError } from "../../../../server/util/errors.ts";

type Listener = (...args: never[]) => void;

/**
 * An Engine with the state under the test's control: commands move it the way the real one does
 * (print → printing, pause → paused, cancel → idle) and are recorded. `hold` keeps print() pending,
 * like a real print waiting for its file's analysis.
 */
export class FakeEngine implements Engine {
  snap: EngineSnapshot = initialSnapshot();
  readonly sent: string[] = [];
  readonly calls: string[] = [];
  hold: Promise<void> | null = null;
  #listeners = new Map<string, Set<Listener>>();
  #jobId = 0;

  snapshot(): EngineSnapshot {
    return this.snap;
  }

  on<K extends keyof EngineEvents & string>(
    event: K,
    listener: (...args: EngineEvents[K]) => void,
  ): Unsubscribe {
    let set = this.#listeners.get(event);
    if (set === undefined) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as Listener);
    return () => set.delete(listener as Listener);
  }

  emit<K extends keyof EngineEvents & string>(event: K, ...args: EngineEvents[K]): void {
    for (const listener of this.#listeners.get(event) ?? [])
      (listener as (...a: EngineEvents[K]) => void)(...args);
  }

  setState(to: PrinterState, reason = "test"): void {
    const from = this.snap.state;
    this.snap = { ...this.snap, state: to, stateReason: reason };
    this.emit("state", { from, to, reason });
  }

  /** Connected to a simulated Marlin 2 with one nozzle and a bed, idle. */
  connected(): FirmwareSummary {
    const profile = loadFirmwareProfile("marlin-2");
    const firmware: FirmwareSummary = {
      name: "Marlin 2.1.2",
      fields: {},
      profile,
      capabilities: {},
      port: "virtual",
      baudRate: 250000,
    };
    this.snap = {
      ...this.snap,
      firmware,
      temperatures: { T0: { actual: 24.5, target: 0 }, B: { actual: 23.9, target: null } },
    };
    this.setState("idle");
    this.emit("firmware", firmware);
    return firmware;
  }

  async connect(options: EngineConnectOptions): Promise<FirmwareSummary> {
    this.calls.push(`connect ${options.port}`);
    if (this.snap.state !== "disconnected" && this.snap.state !== "error")
      throw new HostError("INVALID_STATE", "already connected");
    return this.connected();
  }

  async disconnect(): Promise<void> {
    this.calls.push("disconnect");
    this.snap = { ...this.snap, firmware: null, job: null };
    this.setState("disconnected");
  }

  async send(command: string): Promise<void> {
    if (this.snap.state === "disconnected") throw new HostError("INVALID_STATE", "not connected");
    this.sent.push(command);
  }

  async print(file: string, options: EnginePrintOptions = {}): Promise<number> {
    this.calls.push(`print ${file}`);
    if (this.snap.state !== "idle") throw new HostError("INVALID_STATE", `cannot start ${file}`);
    if (this.hold !== null) await this.hold;
    const jobId = ++this.#jobId;
    this.snap = { ...this.snap, job: { file, pausedBy: null, progress: null } };
    this.setState("printing");
    this.emit("started", { jobId, file, user: options.user ?? null });
    return jobId;
  }

  async configure(): Promise<void> {
    this.calls.push("configure");
  }

  async pause(): Promise<void> {
    this.calls.push("pause");
    if (this.snap.state !== "printing") throw new HostError("INVALID_STATE", "cannot pause");
    this.setState("paused");
  }

  async resume(): Promise<void> {
    this.calls.push("resume");
    if (this.snap.state !== "paused") throw new HostError("INVALID_STATE", "cannot resume");
    this.setState("printing");
  }

  async cancel(reason?: string): Promise<JobOutcome> {
    this.calls.push(`cancel ${reason ?? ""}`.trim());
    const job = this.snap.job;
    if (job === null) throw new HostError("INVALID_STATE", "nothing to cancel");
    this.snap = { ...this.snap, job: null };
    this.setState("idle");
    return {
      jobId: this.#jobId,
      file: job.file,
      result: "cancelled",
      reason: reason ?? null,
      lines: 0,
      seconds: 0,
    };
  }

  async emergencyStop(): Promise<void> {
    this.calls.push("emergencyStop");
    this.setState("error", "emergency stop");
  }

  async resumeInterrupted(): Promise<number> {
    throw new HostError("INVALID_STATE", "no interrupted print");
  }

  async discardInterrupted(): Promise<void> {}

  whenFinished(): Promise<JobOutcome> | null {
    return null;
  }

  async stop(): Promise<void> {}
}
