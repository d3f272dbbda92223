import { EventEmitter } from "node:events";
import { MJPEG_BOUNDARY } from "../../../../server/camera/live/multipart.ts";
import type { MjpegOutput } from "../../../../server/camera/live/viewer.ts";
import type { CameraSource, FrameUpstream } from "../../../../server/camera/sources/camera-source.ts";
import { MjpegParser } from "../../../../server/camera/sources/mjpeg-parser.ts";
import { withComment } from "../../../helpers/fake-mjpeg-camera.ts";
import { TINY_JPEG } from "../sources/jpeg-fixtures.ts";

export const frame = (n: number): Buffer => withComment(TINY_JPEG, `frame ${n}`);

interface Opened {
  onFrame: (jpeg: Buffer) => void;
  onEnd: (err: Error | null) => void;
  closed: boolean;
  ended: boolean;
}

/** A camera driven by the test: it pushes frames and fails upstreams by hand. */
export class ScriptedSource implements CameraSource {
  readonly kind = "test-pattern";
  readonly opens: Opened[] = [];
  /** When set, a closed upstream reports its end only on finishClose() (a slow ffmpeg exit). */
  holdEnd = false;
  snapshots = 0;
  throwOnOpen: Error | null = null;

  snapshot(): Promise<Buffer> {
    this.snapshots++;
    return Promise.resolve(frame(-1));
  }

  openStream(onFrame: (jpeg: Buffer) => void, onEnd: (err: Error | null) => void): FrameUpstream {
    if (this.throwOnOpen !== null) throw this.throwOnOpen;
    const opened: Opened = { onFrame, onEnd, closed: false, ended: false };
    this.opens.push(opened);
    return {
      close: () => {
        if (opened.closed || opened.ended) return;
        opened.closed = true;
        if (!this.holdEnd) setImmediate(() => this.#end(opened, null));
      },
    };
  }

  /** The upstream open now (not closed, not ended). */
  get live(): Opened | undefined {
    return this.opens.find((o) => !o.closed && !o.ended);
  }

  push(jpeg: Buffer): void {
    this.live?.onFrame(jpeg);
  }

  fail(message = "camera unplugged"): void {
    const live = this.live;
    if (live !== undefined) this.#end(live, new Error(message));
  }

  finishClose(): void {
    for (const opened of this.opens) if (opened.closed) this.#end(opened, null);
  }

  #end(opened: Opened, err: Error | null): void {
    if (opened.ended) return;
    opened.ended = true;
    opened.onEnd(err);
  }
}

/** A response stand-in: records what is written; `end()` closes it on the next tick, as a socket would. */
export class FakeOut extends EventEmitter implements MjpegOutput {
  writableNeedDrain = false;
  writableEnded = false;
  destroyed = false;
  readonly chunks: Buffer[] = [];

  write(chunk: Buffer): boolean {
    this.chunks.push(chunk);
    return true;
  }

  cork(): void {}
  uncork(): void {}

  end(): void {
    this.writableEnded = true;
    setImmediate(() => this.hangUp());
  }

  /** The client went away. */
  hangUp(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.emit("close");
  }

  /** The JPEGs written, as a client parsing the stream reads them. */
  frames(): Buffer[] {
    return new MjpegParser({ boundary: MJPEG_BOUNDARY }).push(Buffer.concat(this.chunks));
  }
}
