import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import type { CameraSource, FrameUpstream } from "../sources/camera-source.ts";
import { failedUpstream } from "../sources/failed-upstream.ts";
import { type MjpegOutput, Viewer } from "./viewer.ts";

export interface MjpegHubOptions {
  /** The upstream stays open this long after the last viewer leaves, so a page reload finds it open. */
  lingerMs: number;
  /** Frames per second a viewer gets at most; the camera's other frames are skipped for it. */
  maxFps: number;
  /** Reopenings of a failed upstream while viewers remain, before they are ended. */
  retries: number;
  /** Delay before the first reopening; it doubles for each further one. */
  retryDelayMs: number;
  /** snapshot() takes the latest frame when it is at most this old. */
  snapshotMaxAgeMs: number;
}

export const DEFAULT_HUB_OPTIONS: MjpegHubOptions = {
  lingerMs: 2000,
  maxFps: 10,
  retries: 3,
  retryDelayMs: 500,
  snapshotMaxAgeMs: 1000,
};

export interface MjpegHubDeps {
  source: CameraSource;
  log: Logger;
  /** ms since the epoch; Date.now by default. */
  clock?: () => number;
  options?: Partial<MjpegHubOptions>;
}

export interface LatestFrame {
  jpeg: Buffer;
  /** When it arrived, ms since the epoch. */
  at: number;
}

export interface HubStats {
  viewers: number;
  /** Times source.openStream was called. */
  upstreamOpens: number;
  /** Frames the upstream delivered. */
  framesIn: number;
  /** Frames written to viewers (one per viewer per frame). */
  framesSent: number;
  /** Frames a viewer was due but skipped because it had not taken the previous ones. */
  framesDropped: number;
}

export interface AttachOptions {
  /** A lower cap than the hub's maxFps for this viewer (e.g. a phone on mobile data). */
  maxFps?: number;
}

interface Upstream {
  handle: FrameUpstream | null;
  gotFrame: boolean;
}

/**
 * One camera's live MJPEG, fanned out: every viewer shares one upstream (source.openStream), opened
 * for the first viewer and closed lingerMs after the last one leaves. A new upstream is opened only
 * after the previous one has ended, so a device is never opened twice.
 *
 * When the upstream fails while viewers remain, it is reopened after retryDelayMs, 2×, 4× … up to
 * `retries` times in a row (an upstream that delivered a frame resets the count); then the viewers'
 * responses are ended. One warning is logged when a failure begins and one error when viewers are
 * ended, never one per frame.
 */
export class MjpegHub {
  readonly #deps: MjpegHubDeps;
  readonly #options: MjpegHubOptions;
  readonly #clock: () => number;
  readonly #viewers = new Map<Viewer, () => void>();
  #live: Upstream | null = null;
  /** An upstream closed by the hub whose onEnd has not come yet. */
  #dying: Upstream | null = null;
  #whenDead: (() => void)[] = [];
  #latest: LatestFrame | null = null;
  #linger: NodeJS.Timeout | null = null;
  #retry: NodeJS.Timeout | null = null;
  #failures = 0;
  #failing = false;
  #closed = false;
  #upstreamOpens = 0;
  #framesIn = 0;
  #framesSent = 0;
  #framesDropped = 0;

  constructor(deps: MjpegHubDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_HUB_OPTIONS, ...deps.options };
    this.#clock = deps.clock ?? Date.now;
  }

  /**
   * Serves the stream's parts on `out`, whose status and Content-Type (MJPEG_CONTENT_TYPE) the
   * caller has set. The viewer leaves on the response's 'close', or when the returned function is
   * called (which also ends the response).
   */
  attach(out: MjpegOutput, options: AttachOptions = {}): () => void {
    if (this.#closed) throw new HostError("INVALID_STATE", "the camera stream is shutting down");
    const viewer = new Viewer(
      out,
      Math.min(options.maxFps ?? Number.POSITIVE_INFINITY, this.#options.maxFps),
    );
    const detach = () => {
      this.#detach(viewer);
      if (!out.writableEnded) out.end();
    };
    if (out.destroyed) return detach;
    const onClose = () => this.#detach(viewer);
    out.on("close", onClose);
    this.#viewers.set(viewer, onClose);
    this.#clearLinger();
    if (this.#latest !== null) this.#offer(viewer, this.#latest.jpeg, this.#clock());
    this.#openUpstream();
    return detach;
  }

  /** The freshest frame while the upstream is open (what a time-lapse can take instead of a snapshot). */
  latestFrame(): LatestFrame | null {
    return this.#latest;
  }

  /** The latest frame if it is at most maxAgeMs old, else a snapshot from the source. */
  snapshot(maxAgeMs = this.#options.snapshotMaxAgeMs): Promise<Buffer> {
    const latest = this.#latest;
    if (latest !== null && this.#clock() - latest.at <= maxAgeMs) return Promise.resolve(latest.jpeg);
    return this.#deps.source.snapshot();
  }

  stats(): HubStats {
    return {
      viewers: this.#viewers.size,
      upstreamOpens: this.#upstreamOpens,
      framesIn: this.#framesIn,
      framesSent: this.#framesSent,
      framesDropped: this.#framesDropped,
    };
  }

  /** Ends every viewer and closes the upstream; resolves once the upstream has ended. */
  close(): Promise<void> {
    this.#closed = true;
    this.#clearLinger();
    this.#clearRetry();
    this.#endViewers();
    this.#closeUpstream();
    if (this.#dying === null) return Promise.resolve();
    return new Promise((resolve) => this.#whenDead.push(resolve));
  }

  #openUpstream(): void {
    if (this.#closed || this.#live !== null || this.#dying !== null || this.#retry !== null) return;
    if (this.#viewers.size === 0) return;
    const upstream: Upstream = { handle: null, gotFrame: false };
    this.#live = upstream;
    this.#upstreamOpens++;
    const onFrame = (jpeg: Buffer) => this.#frame(upstream, jpeg);
    const onEnd = (err: Error | null) => this.#ended(upstream, err);
    try {
      upstream.handle = this.#deps.source.openStream(onFrame, onEnd);
    } catch (err) {
      upstream.handle = failedUpstream(err instanceof Error ? err : new Error(String(err)), onEnd);
    }
  }

  #closeUpstream(): void {
    const upstream = this.#live;
    if (upstream === null) return;
    this.#live = null;
    this.#latest = null;
    this.#dying = upstream;
    upstream.handle?.close();
  }

  #frame(upstream: Upstream, jpeg: Buffer): void {
    if (upstream !== this.#live) return;
    this.#framesIn++;
    const now = this.#clock();
    this.#latest = { jpeg, at: now };
    if (!upstream.gotFrame) {
      upstream.gotFrame = true;
      this.#failures = 0;
      if (this.#failing) this.#deps.log.info(`camera ${this.#deps.source.kind} stream recovered`);
      this.#failing = false;
    }
    for (const viewer of this.#viewers.keys()) this.#offer(viewer, jpeg, now);
  }

  #offer(viewer: Viewer, jpeg: Buffer, now: number): void {
    const result = viewer.offer(jpeg, now);
    if (result === "sent") this.#framesSent++;
    else if (result === "slow") this.#framesDropped++;
    else if (result === "gone") this.#detach(viewer);
  }

  #ended(upstream: Upstream, err: Error | null): void {
    if (upstream === this.#dying) {
      this.#dying = null;
      for (const resolve of this.#whenDead.splice(0)) resolve();
      this.#openUpstream();
      return;
    }
    if (upstream !== this.#live) return;
    this.#live = null;
    this.#latest = null;
    const error = err ?? new HostError("CAMERA", `camera ${this.#deps.source.kind} stream ended`);
    if (this.#viewers.size === 0) {
      this.#clearLinger();
      this.#deps.log.debug({ err: error.message }, "camera stream ended with no viewers");
      return;
    }
    this.#failures++;
    if (this.#failures > this.#options.retries) {
      this.#deps.log.error(
        { err: error.message, viewers: this.#viewers.size },
        "camera stream failed; ending its viewers",
      );
      this.#failures = 0;
      this.#failing = false;
      this.#endViewers();
      return;
    }
    if (!this.#failing)
      this.#deps.log.warn({ err: error.message }, "camera stream failed; reopening while viewers remain");
    this.#failing = true;
    const delay = this.#options.retryDelayMs * 2 ** (this.#failures - 1);
    this.#retry = setTimeout(() => {
      this.#retry = null;
      this.#openUpstream();
    }, delay);
  }

  #detach(viewer: Viewer): void {
    const onClose = this.#viewers.get(viewer);
    if (onClose === undefined) return;
    this.#viewers.delete(viewer);
    viewer.out.off("close", onClose);
    if (this.#viewers.size > 0) return;
    if (this.#retry !== null) {
      this.#clearRetry();
      this.#failures = 0;
      this.#failing = false;
    }
    if (this.#live !== null && !this.#closed) {
      this.#linger = setTimeout(() => {
        this.#linger = null;
        if (this.#viewers.size === 0) this.#closeUpstream();
      }, this.#options.lingerMs);
      this.#linger.unref();
    }
  }

  #endViewers(): void {
    for (const viewer of [...this.#viewers.keys()]) {
      this.#detach(viewer);
      if (!viewer.out.writableEnded) viewer.out.end();
    }
  }

  #clearLinger(): void {
    if (this.#linger !== null) clearTimeout(this.#linger);
    this.#linger = null;
  }

  #clearRetry(): void {
    if (this.#retry !== null) clearTimeout(this.#retry);
    this.#retry = null;
  }
}
