import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { HostError, type HostErrorCode } from "../../util/errors.ts";
import type { AnalysisOptions } from "./analysis-options.ts";
import type { Analysis } from "./analysis-types.ts";
import type { WorkerReply, WorkerRequest } from "./analysis-worker.ts";

const WORKER = fileURLToPath(new URL("./analysis-worker.ts", import.meta.url));

/**
 * The worker runs TypeScript, so it installs tsx itself (hooks that `bin/layerwatch.js` or vitest installed
 * on the main thread do not reach worker threads on Node 20). tsx's require hook compiles the worker's
 * modules to CommonJS on the worker's own thread; the ESM loader would add a hooks thread and some 17 MB of
 * RSS. So nothing the worker imports may use top-level await.
 */
function bootstrap(): string {
  const tsx = createRequire(import.meta.url).resolve("tsx/cjs/api");
  return `require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(WORKER)});`;
}

/**
 * V8 heap caps of the worker. Streaming needs a few MB; a small young generation keeps its RSS down, and
 * a runaway file fails with TOO_LARGE instead of growing the process.
 */
const RESOURCE_LIMITS = { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb: 8 };
/** An idle worker is stopped after this long; the next file starts a new one (about 0.2 s). */
const IDLE_MS = 10_000;

function hostErrorCode(code: string | null): HostErrorCode {
  if (code === "ENOENT" || code === "ENOTDIR") return "NOT_FOUND";
  if (code?.startsWith("Z_")) return "UNSUPPORTED_FILE";
  return "STORAGE";
}

interface Job {
  request: WorkerRequest;
  resolve: (analysis: Analysis) => void;
  reject: (err: HostError) => void;
}

/**
 * One worker thread that analyses files in turn, so a large file never blocks the event loop and files
 * are analysed one at a time (one core). The thread is kept for `idleMs` after the last file, without
 * holding the process open, and is terminated after any failure.
 */
export class AnalysisWorkerPool {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 1;

  constructor(private readonly idleMs: number = IDLE_MS) {}

  /** Live worker threads (0 or 1). */
  get threads(): number {
    return this.worker === null ? 0 : 1;
  }

  /**
   * Resolves with the analysis (thumbnails as Buffers again: structured clone delivers Uint8Arrays).
   * Rejects with a HostError naming the file: NOT_FOUND (missing), UNSUPPORTED_FILE (broken gzip),
   * TOO_LARGE (the worker ran out of heap), STORAGE (anything else that stops the read).
   */
  analyze(path: string, options: AnalysisOptions = {}): Promise<Analysis> {
    return new Promise<Analysis>((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, path, options }, resolve, reject });
      this.next();
    });
  }

  /** Stops the worker; files not analysed yet are rejected. */
  async close(): Promise<void> {
    for (const job of this.queue.splice(0)) job.reject(failure(job, "STORAGE", "the analysis pool closed"));
    const current = this.current;
    this.current = null;
    await this.stop();
    current?.reject(failure(current, "STORAGE", "the analysis pool closed"));
  }

  private next(): void {
    if (this.current !== null) return;
    const job = this.queue.shift();
    if (job === undefined) {
      this.idle();
      return;
    }
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.current = job;
    const worker = this.worker ?? this.start();
    worker.ref();
    worker.postMessage(job.request);
  }

  private start(): Worker {
    const worker = new Worker(bootstrap(), { eval: true, resourceLimits: RESOURCE_LIMITS });
    worker.on("message", (reply: WorkerReply) => this.reply(reply));
    worker.on("error", (err: Error & { code?: string }) => {
      const code: HostErrorCode = err.code === "ERR_WORKER_OUT_OF_MEMORY" ? "TOO_LARGE" : "STORAGE";
      this.fail(code, err.message);
    });
    worker.on("exit", (exitCode) => this.fail("STORAGE", `the analysis worker exited (${exitCode})`));
    this.worker = worker;
    return worker;
  }

  private reply(reply: WorkerReply): void {
    const job = this.current;
    if (job === null || job.request.id !== reply.id) return;
    if (reply.ok) {
      this.current = null;
      job.resolve(restoreBuffers(reply.analysis));
      this.next();
    } else this.fail(hostErrorCode(reply.error.code), reply.error.message);
  }

  /** The current file fails: the worker is terminated first, then the next file gets a new one. */
  private fail(code: HostErrorCode, message: string): void {
    const job = this.current;
    this.current = null;
    void this.stop().then(() => {
      job?.reject(failure(job, code, message));
      this.next();
    });
  }

  private idle(): void {
    this.worker?.unref();
    if (this.worker === null || this.idleTimer !== null) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.current === null) void this.stop();
    }, this.idleMs);
    this.idleTimer.unref();
  }

  private async stop(): Promise<void> {
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const worker = this.worker;
    if (worker === null) return;
    this.worker = null;
    worker.removeAllListeners();
    worker.on("error", () => {}); // it is being stopped; a late error has nowhere to go
    await worker.terminate();
  }
}

function failure(job: Job, code: HostErrorCode, message: string): HostError {
  const { path } = job.request;
  return new HostError(code, `cannot analyse '${path}': ${message}`, { path });
}

function restoreBuffers(analysis: Analysis): Analysis {
  const thumbnails = analysis.thumbnails.map((t) => ({
    ...t,
    data: Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength),
  }));
  return { ...analysis, thumbnails };
}

const shared = new AnalysisWorkerPool();

/** `analyzeGcodeFile` on the shared worker thread (see `AnalysisWorkerPool.analyze`). */
export function analyzeInWorker(path: string, options: AnalysisOptions = {}): Promise<Analysis> {
  return shared.analyze(path, options);
}

/** Stops the shared worker (daemon shutdown); pending files are rejected. */
export function closeAnalysisWorker(): Promise<void> {
  return shared.close();
}
