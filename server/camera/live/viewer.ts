import { partChunks } from "./multipart.ts";

/** What a hub needs of a viewer's response; an http.ServerResponse is one. */
export interface MjpegOutput {
  /** True after write() returned false until 'drain': the client is not keeping up. */
  readonly writableNeedDrain: boolean;
  readonly writableEnded: boolean;
  readonly destroyed: boolean;
  write(chunk: Buffer): boolean;
  cork(): void;
  uncork(): void;
  end(): void;
  on(event: "close", listener: () => void): unknown;
  off(event: "close", listener: () => void): unknown;
}

export type Offer = "sent" | "slow" | "early" | "gone";

/** One viewer of a hub: its response, and the pace it is sent frames at. */
export class Viewer {
  readonly out: MjpegOutput;
  readonly #interval: number;
  /** The time slot of the last frame sent; slots are at least one interval apart. */
  #slot: number | null = null;

  constructor(out: MjpegOutput, maxFps: number) {
    this.out = out;
    this.#interval = maxFps > 0 ? 1000 / maxFps : 0;
  }

  /**
   * Writes the frame unless the response is gone, the frame is early, or the client has not taken
   * the previous frames (`writableNeedDrain`: the frame is dropped, so at most one frame beyond the
   * stream's highWaterMark is ever buffered).
   *
   * Pace: each frame sent takes the next slot, one interval (1/maxFps) after the last; a frame may
   * come up to a quarter interval before its slot, as a 10 fps camera's frames do with jitter (one
   * 95 ms after the last must still go at 10 fps), and the slots never fall more than that quarter
   * behind real time. So a viewer gets at most maxFps frames a second over time, and two frames are
   * never less than half an interval apart.
   */
  offer(jpeg: Buffer, now: number): Offer {
    const { out } = this;
    if (out.destroyed || out.writableEnded) return "gone";
    const tolerance = this.#interval / 4;
    if (this.#slot !== null && now < this.#slot + this.#interval - tolerance) return "early";
    if (out.writableNeedDrain) return "slow";
    out.cork();
    for (const chunk of partChunks(jpeg)) out.write(chunk);
    out.uncork();
    this.#slot = this.#slot === null ? now : Math.max(this.#slot + this.#interval, now - tolerance);
    return "sent";
  }
}
