import type { Logger } from "../../util/log.ts";
import { TypedEmitter } from "../../util/typed-emitter.ts";
import { FrameSet } from "./frame-set.ts";
import type { PrintOutcome, TimelapseConfig } from "./timelapse-config.ts";

/** Why capture stopped or a frame was lost; raised as a warning, never to the print. */
export type CaptureWarningCode = "CAMERA" | "DISK";

export interface CaptureWarning {
  code: CaptureWarningCode;
  message: string;
  jobId: number | null;
}

export interface RecorderEvents {
  /** A frame joined the set (its 1-based number). */
  frame: [jobId: number | null, index: number];
  warning: [warning: CaptureWarning];
}

export interface TimelapseRecorderDeps {
  /** Where frame sets are made (`<data>/timelapse/frames`). */
  framesDir: string;
  /** One JPEG from the camera; rejects when it cannot. */
  snapshot(): Promise<Buffer>;
  /** Free bytes on the disk holding `framesDir`. */
  freeBytes(dir: string): Promise<number>;
  /** Read at each decision, so a change applies from the next frame. */
  config(): TimelapseConfig;
  log: Logger;
  clock?: () => number;
}

/** Captures that may wait behind the one being taken; more are dropped (the camera is too slow). */
const MAX_WAITING = 10;

interface Recording {
  set: FrameSet;
  jobId: number | null;
  /** Capture ended for this print (the disk guard); frames so far are kept. */
  stopped: boolean;
  lastFrameAt: number;
  failures: number;
  waiting: number;
  chain: Promise<void>;
  timer: NodeJS.Timeout | null;
}

/**
 * One print's frames: a set begins when the print starts (unless the mode is off), gets a frame at
 * each layer change (or each interval), and a final one when the print ends. A frame that cannot be
 * taken is logged and skipped, with one warning per print, and the print is never disturbed; below
 * the free-space threshold capture stops for the rest of the print with a warning. Frames are taken
 * one at a time, in order.
 */
export class TimelapseRecorder extends TypedEmitter<RecorderEvents> {
  readonly #deps: TimelapseRecorderDeps;
  readonly #clock: () => number;
  #current: Recording | null = null;

  constructor(deps: TimelapseRecorderDeps) {
    super();
    this.#deps = deps;
    this.#clock = deps.clock ?? Date.now;
  }

  /** The set being recorded, if any. */
  get active(): FrameSet | null {
    return this.#current?.set ?? null;
  }

  /** A print started: a new set, and the interval timer in timed mode. */
  async begin(job: { jobId: number | null; file: string }): Promise<void> {
    await this.#finishQuietly();
    const config = this.#deps.config();
    if (config.mode === "off") return;
    const startedAt = this.#clock();
    let set: FrameSet;
    try {
      set = await FrameSet.create(this.#deps.framesDir, { jobId: job.jobId, file: job.file, startedAt });
    } catch (err) {
      this.#warn({
        code: "DISK",
        message: `cannot start time-lapse frames: ${(err as Error).message}`,
        jobId: job.jobId,
      });
      return;
    }
    const recording: Recording = {
      set,
      jobId: job.jobId,
      stopped: false,
      lastFrameAt: Number.NEGATIVE_INFINITY,
      failures: 0,
      waiting: 0,
      chain: Promise.resolve(),
      timer: null,
    };
    this.#current = recording;
    if (config.mode === "timed") this.#scheduleTimed(recording);
  }

  /**
   * Layer `layer` (1-based) started (the job layer's event): the one before it is done, so a frame in
   * unstabilized layer mode. The first layer's start is the print's start, not a finished layer; the
   * last layer's frame is the final one.
   */
  layer(layer: number): void {
    const config = this.#deps.config();
    if (layer > 1 && config.mode === "layer" && !config.stabilize) void this.capture();
  }

  /**
   * Takes a frame now (in order after any being taken); resolves once it is on disk or has failed.
   * `final` frames ignore the minimum interval.
   */
  capture(final = false): Promise<void> {
    const recording = this.#current;
    if (recording === null || recording.stopped) return Promise.resolve();
    const now = this.#clock();
    const min = this.#deps.config().minIntervalSeconds * 1000;
    if (!final && now - recording.lastFrameAt < min) return Promise.resolve();
    if (recording.waiting >= MAX_WAITING) {
      this.#deps.log.debug({ jobId: recording.jobId }, "time-lapse frame dropped: the camera is behind");
      return Promise.resolve();
    }
    recording.lastFrameAt = now;
    recording.waiting++;
    recording.chain = recording.chain.then(async () => {
      recording.waiting--;
      await this.#take(recording);
    });
    return recording.chain;
  }

  /** Resolves once every frame asked for so far is taken or has failed. */
  async idle(): Promise<void> {
    await this.#current?.chain;
  }

  /** The print ended: a final frame (the finished part), the outcome noted; the set, or null when none. */
  async end(outcome: PrintOutcome): Promise<FrameSet | null> {
    const recording = this.#current;
    if (recording === null) return null;
    if (recording.timer !== null) clearTimeout(recording.timer);
    await this.capture(true);
    this.#current = null;
    try {
      await recording.set.end(outcome, this.#clock());
    } catch (err) {
      this.#deps.log.warn({ err, set: recording.set.id }, "cannot note the time-lapse's outcome");
    }
    return recording.set;
  }

  /** Stops without a final frame (the daemon stops); the set stays on disk as unrendered. */
  async stop(): Promise<void> {
    await this.#finishQuietly();
  }

  async #finishQuietly(): Promise<void> {
    const recording = this.#current;
    if (recording === null) return;
    this.#current = null;
    if (recording.timer !== null) clearTimeout(recording.timer);
    await recording.chain;
  }

  #scheduleTimed(recording: Recording): void {
    const interval = Math.max(1, this.#deps.config().intervalSeconds) * 1000;
    recording.timer = setTimeout(() => {
      if (this.#current !== recording) return;
      void this.capture();
      this.#scheduleTimed(recording);
    }, interval);
  }

  async #take(recording: Recording): Promise<void> {
    if (recording.stopped) return;
    const deps = this.#deps;
    const config = deps.config();
    try {
      const free = await deps.freeBytes(deps.framesDir);
      if (free < config.minFreeMiB * 1024 * 1024) {
        this.#stopFor(
          recording,
          `less than ${config.minFreeMiB} MiB free: time-lapse capture stopped, the print goes on`,
        );
        return;
      }
    } catch (err) {
      deps.log.warn({ err }, "cannot read the free disk space");
    }
    let jpeg: Buffer;
    try {
      jpeg = await deps.snapshot();
    } catch (err) {
      recording.failures++;
      deps.log.warn({ err, jobId: recording.jobId }, "time-lapse frame skipped: the camera failed");
      if (recording.failures === 1) {
        this.#warn({
          code: "CAMERA",
          message: `time-lapse frame skipped: ${(err as Error).message}; the print goes on`,
          jobId: recording.jobId,
        });
      }
      return;
    }
    try {
      const index = await recording.set.add(jpeg);
      this.emit("frame", recording.jobId, index);
    } catch (err) {
      this.#stopFor(
        recording,
        `cannot write a time-lapse frame (${(err as Error).message}): capture stopped, the print goes on`,
      );
    }
  }

  #stopFor(recording: Recording, message: string): void {
    recording.stopped = true;
    if (recording.timer !== null) clearTimeout(recording.timer);
    this.#warn({ code: "DISK", message, jobId: recording.jobId });
  }

  #warn(warning: CaptureWarning): void {
    this.#deps.log.warn({ jobId: warning.jobId }, warning.message);
    this.emit("warning", warning);
  }
}
