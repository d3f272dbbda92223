import { rm } from "node:fs/promises";
import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import { TypedEmitter } from "../../util/typed-emitter.ts";
import type { FrameSet } from "./frame-set.ts";
import type { PrintOutcome, TimelapseConfig } from "./timelapse-config.ts";
import type { TimelapseLibrary, TimelapseVideo } from "./timelapse-library.ts";
import type { CaptureWarning, TimelapseRecorder } from "./timelapse-recorder.ts";

/** What a render produced. */
export interface RenderedVideo {
  frames: number;
  durationSeconds: number;
  width: number;
  height: number;
  encoder: string;
}

export interface RenderRequest {
  framesDir: string;
  output: string;
  poster: string;
  config: TimelapseConfig;
  /** Asked for by a user: runs even while a print does. */
  urgent: boolean;
  onProgress(fraction: number): void;
}

/** Renders frame sets one at a time, never during a print unless urgent (camera/render). */
export interface TimelapseRenderer {
  render(request: RenderRequest): Promise<RenderedVideo>;
  /** A print may have ended: a waiting render may start. */
  poke(): void;
  stop(): Promise<void>;
}

export interface RenderState {
  set: string;
  name: string;
  jobId: number | null;
  /** 0–1; 0 while waiting for the print to end. */
  fraction: number;
}

export interface TimelapseEvents {
  warning: [warning: CaptureWarning];
  frame: [jobId: number | null, index: number];
  renderProgress: [state: RenderState];
  rendered: [video: TimelapseVideo];
  renderFailed: [failure: { set: string; jobId: number | null; message: string }];
}

export interface TimelapseServiceDeps {
  library: TimelapseLibrary;
  recorder: TimelapseRecorder;
  renderer: TimelapseRenderer;
  config(): TimelapseConfig;
  log: Logger;
  clock?: () => number;
}

const CLEANUP_INTERVAL_MS = 6 * 3_600_000;

/**
 * Time-lapses from capture to video: the recorder's frames while a print runs, then (for the print
 * outcomes the settings name) a render queued after the print, the video with its poster and
 * description in the library, and the frames removed. Frame sets that are not rendered wait as
 * unrendered (render or delete them later) and are deleted after `keepUnrenderedDays`.
 */
export class TimelapseService extends TypedEmitter<TimelapseEvents> {
  readonly #deps: TimelapseServiceDeps;
  readonly #clock: () => number;
  readonly #renders = new Map<string, RenderState>();
  #off: (() => void)[] = [];
  #cleanup: NodeJS.Timeout | null = null;

  constructor(deps: TimelapseServiceDeps) {
    super();
    this.#deps = deps;
    this.#clock = deps.clock ?? Date.now;
  }

  async start(): Promise<void> {
    const { library, recorder } = this.#deps;
    await library.init();
    this.#off = [
      recorder.on("warning", (warning) => this.emit("warning", warning)),
      recorder.on("frame", (jobId, index) => this.emit("frame", jobId, index)),
    ];
    await this.#removeOld();
    this.#cleanup = setInterval(() => void this.#removeOld(), CLEANUP_INTERVAL_MS);
    this.#cleanup.unref();
  }

  async stop(): Promise<void> {
    if (this.#cleanup !== null) clearInterval(this.#cleanup);
    this.#cleanup = null;
    await this.#deps.recorder.stop();
    await this.#deps.renderer.stop();
    for (const off of this.#off) off();
    this.#off = [];
  }

  printStarted(job: { jobId: number | null; file: string }): Promise<void> {
    return this.#deps.recorder.begin(job);
  }

  /** Layer `layer` (1-based) started. */
  layerChanged(layer: number): void {
    this.#deps.recorder.layer(layer);
  }

  /** A stabilized frame: the head is parked and the print waits for this. */
  stabilizedFrame(): Promise<void> {
    return this.#deps.recorder.capture();
  }

  /** The print ended: the final frame, then a render when the settings ask for one. */
  async printFinished(outcome: PrintOutcome): Promise<void> {
    const set = await this.#deps.recorder.end(outcome);
    this.#deps.renderer.poke();
    if (set === null || set.frames === 0) {
      if (set !== null) await rm(set.dir, { recursive: true, force: true });
      return;
    }
    if (!this.#deps.config().renderOn.includes(outcome)) return;
    const name = await this.#deps.library.nameFor(set);
    void this.#render(set, name, false).catch(() => {});
  }

  /** A print may have ended or started: waiting renders re-check. */
  poke(): void {
    this.#deps.renderer.poke();
  }

  /** Renders an unrendered set now (even during a print); resolves with the video. */
  async renderUnrendered(id: string): Promise<TimelapseVideo> {
    if (this.#deps.recorder.active?.id === id) {
      throw new HostError("BUSY", `time-lapse ${id} is still being recorded`);
    }
    if (this.#renders.has(id)) throw new HostError("BUSY", `time-lapse ${id} is already rendering`);
    const set = await this.#deps.library.openSet(id);
    return this.#render(set, await this.#deps.library.nameFor(set), true);
  }

  /** Deletes an unrendered frame set; BUSY for the one being recorded. */
  async removeUnrendered(id: string): Promise<void> {
    if (this.#deps.recorder.active?.id === id) {
      throw new HostError("BUSY", `time-lapse ${id} is still being recorded`);
    }
    await this.#deps.library.removeSet(id);
  }

  /** Renders in progress or waiting. */
  rendering(): RenderState[] {
    return [...this.#renders.values()];
  }

  /** The set being recorded now, if any. */
  get recording(): { set: string; jobId: number | null; frames: number } | null {
    const set = this.#deps.recorder.active;
    return set === null ? null : { set: set.id, jobId: set.meta.jobId, frames: set.frames };
  }

  /** Listed in rendering() from the call on, until it ends. */
  async #render(set: FrameSet, name: string, urgent: boolean): Promise<TimelapseVideo> {
    const { library, renderer, log } = this.#deps;
    const config = this.#deps.config();
    const state: RenderState = { set: set.id, name, jobId: set.meta.jobId, fraction: 0 };
    this.#renders.set(set.id, state);
    this.emit("renderProgress", { ...state });
    try {
      const result = await renderer.render({
        framesDir: set.dir,
        output: library.videoPath(name),
        poster: library.posterPath(name),
        config,
        urgent,
        onProgress: (fraction) => {
          // Events at most every 5 %: a render reports many times a second.
          if (fraction < 1 && fraction - state.fraction < 0.05) return;
          state.fraction = fraction;
          this.emit("renderProgress", { ...state });
        },
      });
      await library.saveMeta(name, {
        jobId: set.meta.jobId,
        file: set.meta.file,
        outcome: set.meta.outcome,
        ...result,
      });
      await rm(set.dir, { recursive: true, force: true });
      const video = await library.get(name);
      log.info({ name, frames: result.frames, encoder: result.encoder }, "time-lapse rendered");
      this.emit("rendered", video);
      return video;
    } catch (err) {
      const message = (err as Error).message;
      log.error({ err, set: set.id }, "time-lapse render failed; its frames are kept");
      this.emit("renderFailed", { set: set.id, jobId: set.meta.jobId, message });
      throw err;
    } finally {
      this.#renders.delete(set.id);
    }
  }

  async #removeOld(): Promise<void> {
    const { library, recorder, log } = this.#deps;
    try {
      const except = recorder.active?.id ?? null;
      const removed = await library.removeOlderThan(
        this.#deps.config().keepUnrenderedDays,
        this.#clock(),
        except,
      );
      if (removed.length > 0) log.info({ removed }, "old unrendered time-lapse frames deleted");
    } catch (err) {
      log.warn({ err }, "cannot clean up old time-lapse frames");
    }
  }
}
