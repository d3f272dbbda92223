import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import { TypedEmitter } from "../../util/typed-emitter.ts";
import { type RenderOptions, type RenderResult, renderTimelapse } from "./render-timelapse.ts";

export interface RenderJob {
  /** Names the job in events and errors; unique among the waiting and running jobs. */
  id: string;
  /** The frames directory. */
  input: string;
  options: Omit<RenderOptions, "signal" | "onProgress">;
  /** Runs even while the gate is closed: someone asked for this render now. */
  urgent?: boolean;
}

export type RenderFn = (input: string, options: RenderOptions) => Promise<RenderResult>;

export interface RenderQueueDeps {
  log: Logger;
  /**
   * Whether renders may start now; the caller's is false while a print runs (OctoPrint's rule: a render
   * pins a Pi core and its memory, and a Pi Zero 2 took long enough to block the next print, §5).
   */
  canRun: () => boolean;
  /** Default `renderTimelapse` with `log`. */
  render?: RenderFn;
  /** How often a closed gate is asked again without a `poke()`; default 10 s. */
  recheckMs?: number;
}

export interface RenderQueueEvents {
  queued: [id: string];
  started: [id: string];
  /** Fraction 0–1 of the running job, increasing only. */
  progress: [id: string, fraction: number];
  done: [id: string, result: RenderResult];
  failed: [id: string, error: unknown];
}

export interface RenderQueueStatus {
  running: string | null;
  waiting: string[];
}

const DEFAULT_RECHECK_MS = 10_000;

interface Entry {
  job: RenderJob;
  resolve: (result: RenderResult) => void;
  reject: (err: unknown) => void;
}

interface Running {
  entry: Entry;
  controller: AbortController;
  finished: Promise<void>;
}

/**
 * Time-lapse renders one at a time (two ffmpeg encoders would only share the same cores and double the
 * memory), first in, first out. A job waits while `canRun()` is false; the gate is asked again on `poke()`
 * (call it when the print ends) and every `recheckMs`. An urgent job ignores the gate, so it may overtake
 * waiting jobs that are held by it. `stop()` cancels the running render and rejects the waiting ones.
 */
export class RenderQueue extends TypedEmitter<RenderQueueEvents> {
  readonly #log: Logger;
  readonly #canRun: () => boolean;
  readonly #render: RenderFn;
  readonly #recheckMs: number;
  readonly #waiting: Entry[] = [];
  #running: Running | null = null;
  #timer: NodeJS.Timeout | null = null;
  #stopped = false;

  constructor(deps: RenderQueueDeps) {
    super();
    this.#log = deps.log;
    this.#canRun = deps.canRun;
    this.#render = deps.render ?? ((input, options) => renderTimelapse(input, options, { log: deps.log }));
    this.#recheckMs = deps.recheckMs ?? DEFAULT_RECHECK_MS;
  }

  /**
   * Queues `job`; resolves with its result, rejects with its render error, RENDER "stopped" if the queue
   * stops first, or CONFLICT if a job with its id is already waiting or running.
   */
  enqueue(job: RenderJob): Promise<RenderResult> {
    if (this.#stopped) return Promise.reject(stoppedError(job.id));
    const { running, waiting } = this.status();
    if (running === job.id || waiting.includes(job.id)) {
      return Promise.reject(new HostError("CONFLICT", `render ${JSON.stringify(job.id)} is already queued`));
    }
    return new Promise<RenderResult>((resolve, reject) => {
      this.#waiting.push({ job, resolve, reject });
      this.emit("queued", job.id);
      this.#pump();
    });
  }

  /** Asks the gate again now, e.g. when a print has finished. */
  poke(): void {
    this.#pump();
  }

  status(): RenderQueueStatus {
    return {
      running: this.#running?.entry.job.id ?? null,
      waiting: this.#waiting.map((entry) => entry.job.id),
    };
  }

  /** Rejects the waiting jobs with RENDER "stopped", cancels the running one and waits for it to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#clearTimer();
    for (const entry of this.#waiting.splice(0)) {
      const err = stoppedError(entry.job.id);
      this.emit("failed", entry.job.id, err);
      entry.reject(err);
    }
    const running = this.#running;
    if (running !== null) {
      running.controller.abort();
      await running.finished;
    }
  }

  #pump(): void {
    if (this.#stopped || this.#running !== null) return;
    this.#clearTimer();
    if (this.#waiting.length === 0) return;
    const index = this.#canRun() ? 0 : this.#waiting.findIndex((entry) => entry.job.urgent === true);
    if (index < 0) {
      this.#timer = setTimeout(() => {
        this.#timer = null;
        this.#pump();
      }, this.#recheckMs);
      this.#timer.unref();
      return;
    }
    const [entry] = this.#waiting.splice(index, 1);
    this.#start(entry as Entry);
  }

  #start(entry: Entry): void {
    const { job } = entry;
    const controller = new AbortController();
    const running: Running = { entry, controller, finished: Promise.resolve() };
    this.#running = running; // before "started", so listeners see it in status()
    this.#log.info({ id: job.id, input: job.input, urgent: job.urgent === true }, "render started");
    this.emit("started", job.id);
    const options: RenderOptions = {
      ...job.options,
      signal: controller.signal,
      onProgress: (fraction) => this.emit("progress", job.id, fraction),
    };
    running.finished = Promise.resolve()
      .then(() => this.#render(job.input, options))
      .then(
        (result) => {
          entry.resolve(result);
          this.#log.info({ id: job.id, seconds: result.seconds }, "render done");
          this.emit("done", job.id, result);
        },
        (err: unknown) => {
          entry.reject(err);
          this.#log.warn({ id: job.id, err }, "render failed");
          this.emit("failed", job.id, err);
        },
      )
      .catch((err: unknown) => this.#log.error({ id: job.id, err }, "a render queue listener threw"))
      .finally(() => {
        this.#running = null;
        this.#pump();
      });
  }

  #clearTimer(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}

function stoppedError(id: string): HostError {
  return new HostError("RENDER", `render ${JSON.stringify(id)} stopped: the render queue is shutting down`, {
    stopped: true,
  });
}
