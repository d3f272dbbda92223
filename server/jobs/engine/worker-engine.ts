import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { HostError } from "../../util/errors.ts";
import { type Logger, namespaced } from "../../util/log.ts";
import type { JobCamera, JobFiles, JobOutcome } from "../control/job-ports.ts";
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
import {
  type CommandArgs,
  type CommandResult,
  type EngineCommand,
  type FromEngineWorker,
  fromEngineError,
  type PortRequest,
  settle,
  type ToEngineWorker,
} from "./engine-protocol.ts";
import type { EngineEvent, EngineEventName } from "./engine-snapshot.ts";
import { PendingCalls } from "./pending-calls.ts";

export interface WorkerEngineDeps {
  /** The worker's entry module (TypeScript; it serves a LocalEngine through an EngineHost). */
  entry: string;
  /** Handed to the entry as `workerData` (structured clone). */
  workerData: unknown;
  /** The file store on this thread, which the worker's job layer asks. */
  files: JobFiles;
  /** The camera on this thread, for stabilized time-lapse frames; absent: captures are refused. */
  camera?: JobCamera;
  log: Logger;
  /** How long start() waits for the worker's engine, and stop() for its teardown. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;

/**
 * tsx's require hook, installed inside the worker (hooks installed on the main thread do not reach
 * worker threads on Node 20), compiles the worker's modules to CommonJS; see analyze-in-worker.ts.
 * So nothing the worker imports may use top-level await.
 */
function bootstrap(entry: string): string {
  const tsx = createRequire(import.meta.url).resolve("tsx/cjs/api");
  return `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(entry)});`;
}

/**
 * The Engine on the main thread, with the printer and its jobs in a worker thread, so HTTP, socket
 * and camera work can never stall the G-code stream (see engine-protocol.ts for the messages).
 * `snapshot()` is a mirror folded from the worker's events. If the worker dies, every pending
 * command rejects DISCONNECTED, the state goes to `error` with a `failure`, and a running print is
 * reported `finished` as failed; later commands reject DISCONNECTED.
 */
export class WorkerEngine implements Engine {
  readonly #deps: WorkerEngineDeps;
  readonly #log: Logger;
  readonly #hub: EngineEventHub;
  readonly #calls = new PendingCalls();
  #worker: Worker | null = null;
  #starting: { resolve: () => void; reject: (err: HostError) => void } | null = null;
  #finished: { promise: Promise<JobOutcome>; resolve: (outcome: JobOutcome) => void } | null = null;
  /** Listeners to `line` on this side; the worker forwards lines only while there are any. */
  #lineListeners = 0;
  /** Set once the worker is gone (stopped or crashed): why commands are refused. */
  #gone: HostError | null = null;

  constructor(deps: WorkerEngineDeps) {
    this.#deps = deps;
    this.#log = namespaced(deps.log, "engine");
    this.#hub = new EngineEventHub(this.#log);
  }

  /** Starts the worker; resolves once its engine has started (recovery point loaded), with its snapshot. */
  async start(): Promise<void> {
    const { entry, workerData } = this.#deps;
    const ready = new Promise<void>((resolve, reject) => {
      this.#starting = { resolve, reject };
    });
    const worker = new Worker(bootstrap(entry), { eval: true, workerData });
    this.#worker = worker;
    if (this.#lineListeners > 0) this.#wantLines(true);
    worker.on("message", (message: FromEngineWorker) => this.#receive(message));
    worker.on("error", (err) => this.#crash(`it failed: ${err.message}`));
    worker.on("exit", (code) => this.#crash(`it exited with code ${code}`));
    const timer = setTimeout(() => this.#crash("it did not start in time"), this.#timeoutMs);
    try {
      await ready;
    } finally {
      clearTimeout(timer);
    }
  }

  snapshot(): EngineSnapshot {
    return this.#hub.snapshot;
  }

  on<K extends EngineEventName>(event: K, listener: (...args: EngineEvents[K]) => void): Unsubscribe {
    const off = this.#hub.on(event, listener);
    if (event !== "line") return off;
    if (++this.#lineListeners === 1) this.#wantLines(true);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      off();
      if (--this.#lineListeners === 0) this.#wantLines(false);
    };
  }

  #wantLines(on: boolean): void {
    if (this.#worker !== null) this.#post(this.#worker, { kind: "lines", on });
  }

  connect(options: EngineConnectOptions): Promise<FirmwareSummary> {
    return this.#call("connect", options);
  }

  disconnect(): Promise<void> {
    return this.#call("disconnect");
  }

  send(command: string): Promise<void> {
    return this.#call("send", command);
  }

  print(file: string, options?: EnginePrintOptions): Promise<number> {
    return this.#call("print", file, options);
  }

  pause(): Promise<void> {
    return this.#call("pause");
  }

  configure(settings: EngineJobSettings): Promise<void> {
    return this.#call("configure", settings);
  }

  resume(): Promise<void> {
    return this.#call("resume");
  }

  cancel(reason?: string): Promise<JobOutcome> {
    return this.#call("cancel", reason);
  }

  emergencyStop(): Promise<void> {
    return this.#call("emergencyStop");
  }

  resumeInterrupted(layer: number, user?: string | null): Promise<number> {
    return this.#call("resumeInterrupted", layer, user);
  }

  discardInterrupted(): Promise<void> {
    return this.#call("discardInterrupted");
  }

  /** Settles with the next `finished` event while the mirror shows a job (`started` … `finished`). */
  whenFinished(): Promise<JobOutcome> | null {
    if (this.#hub.snapshot.job === null) return null;
    if (this.#finished === null) {
      let resolve: (outcome: JobOutcome) => void = () => {};
      const promise = new Promise<JobOutcome>((r) => {
        resolve = r;
      });
      this.#finished = { promise, resolve };
    }
    return this.#finished.promise;
  }

  /** The worker stops its engine (a running print is kept for recovery) and closes; then it ends. */
  async stop(): Promise<void> {
    const worker = this.#worker;
    if (worker === null || this.#gone !== null) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.#log.error({ ms: this.#timeoutMs }, "the engine worker did not stop in time; terminating it");
        resolve();
      }, this.#timeoutMs);
    });
    try {
      await Promise.race([this.#call("stop"), late]);
    } catch (err) {
      this.#log.error({ err }, "the engine worker failed to stop cleanly");
    } finally {
      clearTimeout(timer);
    }
    if (this.#worker !== worker) return; // it died meanwhile
    this.#gone = new HostError("DISCONNECTED", "the engine is stopped");
    await this.#detach(worker);
    this.#calls.rejectAll(this.#gone);
  }

  get #timeoutMs(): number {
    return this.#deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  #call<C extends EngineCommand>(command: C, ...args: CommandArgs<C>): Promise<CommandResult<C>> {
    const worker = this.#worker;
    if (this.#gone !== null) return Promise.reject(this.#gone);
    if (worker === null) return Promise.reject(new HostError("INVALID_STATE", "the engine is not started"));
    const { id, answer } = this.#calls.open<CommandResult<C>>();
    this.#post(worker, { kind: "call", id, command, args });
    return answer;
  }

  #receive(message: FromEngineWorker): void {
    switch (message.kind) {
      case "event":
        this.#publish(message.event);
        break;
      case "result":
        this.#calls.settle(message.id, message.settled);
        break;
      case "ask":
        void this.#answer(message.id, message.request, message.arg);
        break;
      case "ready":
        this.#hub.reset(message.snapshot);
        this.#starting?.resolve();
        this.#starting = null;
        break;
      case "failed":
        this.#crash(message.error.message, fromEngineError(message.error));
        break;
    }
  }

  async #answer(id: number, request: PortRequest, arg: unknown): Promise<void> {
    const { files, camera } = this.#deps;
    const settled = await settle(async () => {
      if (request === "capture") {
        if (camera === undefined)
          throw new HostError("CAMERA", "this daemon has no camera for time-lapse frames");
        return camera.capture(arg as Parameters<JobCamera["capture"]>[0]);
      }
      return files[request](arg as string);
    });
    const worker = this.#worker;
    if (worker !== null) this.#post(worker, { kind: "answer", id, settled });
  }

  #publish(e: EngineEvent): void {
    this.#hub.publish(e);
    if (e.event === "finished") {
      this.#finished?.resolve(e.args[0]);
      this.#finished = null;
    }
  }

  #post(worker: Worker, message: ToEngineWorker): void {
    try {
      worker.postMessage(message);
    } catch (err) {
      // Arguments that cannot be cloned: that call fails, the worker is fine.
      if (message.kind === "call") {
        this.#calls.settle(message.id, {
          ok: false,
          error: {
            code: "INVALID_INPUT",
            message: `cannot send ${message.command}: ${(err as Error).message}`,
          },
        });
      } else this.#log.error({ err }, "cannot answer the engine worker");
    }
  }

  /** The worker is gone without a stop(): everything waiting on it is settled, the mirror shows it. */
  #crash(why: string, cause?: HostError): void {
    if (this.#gone !== null) return;
    const message = `the engine worker stopped: ${why}`;
    const gone = new HostError("DISCONNECTED", message);
    this.#gone = gone;
    const worker = this.#worker;
    if (worker !== null) void this.#detach(worker);
    if (this.#starting !== null) {
      this.#starting.reject(cause ?? gone);
      this.#starting = null;
      return;
    }
    this.#log.error(message);
    this.#calls.rejectAll(gone);
    const { state, job } = this.#hub.snapshot;
    if (state !== "error")
      this.#publish({ event: "state", args: [{ from: state, to: "error", reason: message }] });
    this.#publish({ event: "failure", args: [{ code: "DISCONNECTED", message }] });
    if (job !== null) {
      const outcome: JobOutcome = {
        jobId: job.progress?.jobId ?? null,
        file: job.file,
        result: "failed",
        reason: message,
        lines: job.progress?.lines ?? 0,
        seconds: job.progress?.elapsedSeconds ?? 0,
      };
      this.#publish({ event: "finished", args: [outcome] });
    }
  }

  async #detach(worker: Worker): Promise<void> {
    this.#worker = null;
    worker.removeAllListeners();
    worker.on("error", () => {}); // it is being ended; a late error has nowhere to go
    await worker.terminate();
  }
}
