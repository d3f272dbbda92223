import type { MessagePort } from "node:worker_threads";
import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import type { JobCamera, JobFiles } from "../control/job-ports.ts";
import type { Engine, Unsubscribe } from "./engine.ts";
import {
  type EngineCommand,
  type FromEngineWorker,
  type PortRequest,
  settle,
  type ToEngineWorker,
  toEngineError,
} from "./engine-protocol.ts";
import { ENGINE_EVENT_NAMES, type EngineEvent } from "./engine-snapshot.ts";
import { PendingCalls } from "./pending-calls.ts";

export interface EngineHostDeps {
  /** The worker's `parentPort`. */
  port: MessagePort;
  log: Logger;
}

/**
 * The worker's end of the engine protocol (see engine-protocol.ts): serves an engine's commands
 * and forwards its events to the main thread, and is the job layer's `JobFiles` and `JobCamera`,
 * asking the main thread's file store and camera. `start()` listens; `serve()` once the engine has started; `fail()` when it
 * could not be built.
 */
export class EngineHost {
  readonly #deps: EngineHostDeps;
  readonly #asked = new PendingCalls();
  #engine: Engine | null = null;
  /** Replaces `engine.stop()`: the worker's own teardown (engine, simulator, database). */
  #stop: (() => Promise<void>) | null = null;
  #forwarding: Unsubscribe[] = [];
  /** The `line` forwarding, present while the main thread listens to lines. */
  #lines: Unsubscribe | null = null;
  #wantLines = false;

  /** The main thread's file store, as the job layer sees it. */
  readonly files: JobFiles = {
    absolutePath: (file) => this.#ask<string>("absolutePath", file),
    describe: (file) => this.#ask<Awaited<ReturnType<JobFiles["describe"]>>>("describe", file),
  };

  /** The main thread's camera, for stabilized time-lapse frames. */
  readonly camera: JobCamera = {
    capture: (request) => this.#ask<void>("capture", request),
  };

  constructor(deps: EngineHostDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#deps.port.on("message", (message: ToEngineWorker) => this.#receive(message));
  }

  /** Posts the engine's snapshot, then each of its events as it happens; answers its commands. */
  serve(engine: Engine, stop: () => Promise<void>): void {
    this.#engine = engine;
    this.#stop = stop;
    this.#forwarding = ENGINE_EVENT_NAMES.filter((name) => name !== "line").map((name) =>
      engine.on(name, (...args: unknown[]) =>
        this.#post({ kind: "event", event: { event: name, args } as EngineEvent }),
      ),
    );
    this.#forwardLines();
    this.#post({ kind: "ready", snapshot: engine.snapshot() });
  }

  /** The engine could not be built or started. */
  fail(err: unknown): void {
    this.#post({ kind: "failed", error: toEngineError(err) });
  }

  /** Forwards `line` events while the main thread wants them (and the engine serves). */
  #forwardLines(): void {
    const engine = this.#engine;
    if (this.#wantLines && engine !== null && this.#lines === null)
      this.#lines = engine.on("line", (...args) =>
        this.#post({ kind: "event", event: { event: "line", args } }),
      );
    else if (!this.#wantLines && this.#lines !== null) {
      this.#lines();
      this.#lines = null;
    }
  }

  #receive(message: ToEngineWorker): void {
    if (message.kind === "lines") {
      this.#wantLines = message.on;
      this.#forwardLines();
      return;
    }
    if (message.kind === "answer") {
      this.#asked.settle(message.id, message.settled);
      return;
    }
    const { id, command, args } = message;
    void settle(() => this.#run(command, args)).then((settled) => {
      try {
        this.#post({ kind: "result", id, settled });
      } catch (err) {
        // A value structured clone cannot carry: the call fails instead of the worker.
        this.#post({ kind: "result", id, settled: { ok: false, error: toEngineError(err) } });
      }
    });
  }

  async #run(command: EngineCommand, args: unknown[]): Promise<unknown> {
    const engine = this.#engine;
    if (engine === null) throw new HostError("INVALID_STATE", `the engine is not running (${command})`);
    if (command === "stop") {
      // Events keep flowing while it stops: a print it ends still reports its outcome.
      try {
        await this.#stop?.();
      } finally {
        for (const off of this.#forwarding) off();
        this.#forwarding = [];
        this.#wantLines = false;
        this.#forwardLines();
        this.#asked.rejectAll(new HostError("DISCONNECTED", "the engine stopped"));
      }
      return undefined;
    }
    const method = engine[command] as (...a: unknown[]) => Promise<unknown>;
    return method.apply(engine, args);
  }

  #ask<T>(request: PortRequest, arg: unknown): Promise<T> {
    const { id, answer } = this.#asked.open<T>();
    this.#post({ kind: "ask", id, request, arg });
    return answer;
  }

  #post(message: FromEngineWorker): void {
    this.#deps.port.postMessage(message);
  }
}
