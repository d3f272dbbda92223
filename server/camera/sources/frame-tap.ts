import { HostError } from "../../util/errors.ts";
import { FfmpegUpstream, type FfmpegUpstreamSpec } from "./ffmpeg-upstream.ts";

type Waiter = (jpeg: Buffer | null) => void;

/**
 * Lets a snapshot take the next frame of a stream the source already has open, instead of opening
 * the device a second time (a V4L2 device streams to one reader; a second one gets EBUSY).
 */
export class FrameTap {
  #streams = 0;
  readonly #waiters = new Set<Waiter>();

  /** True while at least one stream of the source is open. */
  get streaming(): boolean {
    return this.#streams > 0;
  }

  opened(): void {
    this.#streams++;
  }

  /** A stream ended (its device is free again); when it was the last, waiting snapshots get null. */
  ended(): void {
    this.#streams = Math.max(0, this.#streams - 1);
    if (this.#streams === 0) this.#settle(null);
  }

  frame(jpeg: Buffer): void {
    this.#settle(jpeg);
  }

  /**
   * The next frame of an open stream, or null when the stream ends first; rejects
   * HostError("CAMERA", "`what` failed: …") after timeoutMs.
   */
  next(timeoutMs: number, what: string): Promise<Buffer | null> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = (jpeg) => {
        clearTimeout(timer);
        resolve(jpeg);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(
          new HostError("CAMERA", `${what} failed: no frame from the open stream within ${timeoutMs} ms`),
        );
      }, timeoutMs);
      this.#waiters.add(waiter);
    });
  }

  /** The next frame of an open stream when there is one, else `capture()`'s own picture. */
  async nextOr(timeoutMs: number, what: string, capture: () => Promise<Buffer>): Promise<Buffer> {
    if (this.streaming) {
      const jpeg = await this.next(timeoutMs, what);
      if (jpeg !== null) return jpeg;
    }
    return capture();
  }

  #settle(jpeg: Buffer | null): void {
    for (const waiter of this.#waiters) waiter(jpeg);
    this.#waiters.clear();
  }
}

/**
 * Starts an ffmpeg stream whose frames and end also feed `tap`, so snapshots can take the next frame
 * of a stream that is already open instead of starting a capture of their own.
 */
export function startTappedUpstream(
  tap: FrameTap,
  spec: Omit<FfmpegUpstreamSpec, "onFrame" | "onEnd">,
  onFrame: (jpeg: Buffer) => void,
  onEnd: (err: Error | null) => void,
): FfmpegUpstream {
  const upstream = new FfmpegUpstream({
    ...spec,
    onFrame: (jpeg) => {
      tap.frame(jpeg);
      onFrame(jpeg);
    },
    onEnd: (err) => {
      tap.ended();
      onEnd(err);
    },
  });
  tap.opened();
  upstream.start();
  return upstream;
}
