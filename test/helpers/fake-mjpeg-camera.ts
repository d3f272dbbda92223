import { execFile } from "node:child_process";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { ffmpegBinaries } from "../../server/camera/ffmpeg-binaries.ts";

const run = promisify(execFile);

export const FAKE_BOUNDARY = "boundarydonotcross";

/** Max payload of one COM segment: its 2-byte length counts itself. */
const MAX_COMMENT = 0xffff - 2;

/**
 * `jpeg` with COM segments (FF FE, T.81 B.2.4.5) right after SOI: the first holds `text`, the
 * others pad the picture to at least `minBytes`. Still a valid JPEG that decodes to the same image.
 */
export function withComment(jpeg: Buffer, text: string, minBytes = 0): Buffer {
  const segments: Buffer[] = [];
  const comment = (payload: Buffer) => {
    const head = Buffer.from([0xff, 0xfe, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    segments.push(head, payload);
  };
  comment(Buffer.from(text, "latin1"));
  let size = jpeg.length + text.length + 4;
  while (size < minBytes) {
    const n = Math.min(MAX_COMMENT, minBytes - size);
    comment(Buffer.alloc(n, 0x20));
    size += n + 4;
  }
  return Buffer.concat([jpeg.subarray(0, 2), ...segments, jpeg.subarray(2)]);
}

/** One real JPEG from ffmpeg's testsrc2. */
export async function testsrcJpeg(width = 320, height = 240): Promise<Buffer> {
  const { stdout } = await run(
    ffmpegBinaries().ffmpeg,
    [
      "-hide_banner",
      "-nostdin",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      `testsrc2=size=${width}x${height}:rate=1`,
    ].concat(["-frames:v", "1", "-c:v", "mjpeg", "-q:v", "5", "-f", "image2pipe", "-"]),
    { encoding: "buffer", maxBuffer: 16 * 1024 * 1024 },
  );
  return stdout;
}

export interface FakeCameraOptions {
  /** Frames per second on each stream connection. */
  fps?: number;
  /** Each frame is padded to at least this many bytes (to fill socket buffers quickly). */
  frameBytes?: number;
  /** Distinct frames, sent in turn; each carries "frame N" in a COM segment. */
  frameCount?: number;
}

/** What `/?action=snapshot` answers: a JPEG, nothing ever, or an HTML error page. */
export type SnapshotBehaviour = "jpeg" | "hang" | "html";

/**
 * A stand-in for ustreamer/mjpg-streamer on 127.0.0.1: `/?action=snapshot` and `/?action=stream`,
 * the latter framed as their httpd writes it (boundary after each picture, Content-Length and
 * X-Timestamp headers), dropping frames for a client that does not keep up, as ustreamer does.
 */
export class FakeMjpegCamera {
  readonly #options: Required<FakeCameraOptions>;
  readonly #server: Server;
  readonly #streams = new Set<ServerResponse>();
  frames: Buffer[] = [];
  snapshotBehaviour: SnapshotBehaviour = "jpeg";
  /** Stream requests ever received. */
  streamConnections = 0;
  snapshotRequests = 0;
  #port = 0;

  constructor(options: FakeCameraOptions = {}) {
    this.#options = { fps: 10, frameBytes: 0, frameCount: 5, ...options };
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get snapshotUrl(): string {
    return `${this.baseUrl}/?action=snapshot`;
  }

  get streamUrl(): string {
    return `${this.baseUrl}/?action=stream`;
  }

  /** Stream connections open now. */
  get openStreams(): number {
    return this.#streams.size;
  }

  async start(): Promise<void> {
    const base = await testsrcJpeg();
    this.frames = Array.from({ length: this.#options.frameCount }, (_, i) =>
      withComment(base, `frame ${i}`, this.#options.frameBytes),
    );
    await new Promise<void>((resolve) => this.#server.listen(0, "127.0.0.1", resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  /** The camera vanishes: every socket is closed and the port stops listening. */
  async vanish(): Promise<void> {
    for (const res of this.#streams) res.destroy();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  close(): Promise<void> {
    return this.#server.listening ? this.vanish() : Promise.resolve();
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const action = new URL(req.url ?? "/", "http://camera").searchParams.get("action");
    if (action === "snapshot") this.#snapshot(res);
    else if (action === "stream") this.#stream(res);
    else res.writeHead(404).end();
  }

  #snapshot(res: ServerResponse): void {
    this.snapshotRequests++;
    if (this.snapshotBehaviour === "hang") return;
    if (this.snapshotBehaviour === "html") {
      res.writeHead(200, { "Content-Type": "text/html" }).end("<html><body>No signal</body></html>");
      return;
    }
    const jpeg = this.frames[0] as Buffer;
    res.writeHead(200, { "Content-Type": "image/jpeg", "Content-Length": jpeg.length }).end(jpeg);
  }

  #stream(res: ServerResponse): void {
    this.streamConnections++;
    this.#streams.add(res);
    res.writeHead(200, {
      "Content-Type": `multipart/x-mixed-replace;boundary=${FAKE_BOUNDARY}`,
      "Cache-Control": "no-store, no-cache, must-revalidate, pre-check=0, post-check=0, max-age=0",
      Pragma: "no-cache",
    });
    res.write(`--${FAKE_BOUNDARY}\r\n`);
    let n = 0;
    const timer = setInterval(() => {
      if (res.writableNeedDrain) return;
      const jpeg = this.frames[n++ % this.frames.length] as Buffer;
      const now = Date.now();
      const stamp = `${Math.floor(now / 1000)}.${String((now % 1000) * 1000).padStart(6, "0")}`;
      res.cork();
      res.write(
        `Content-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\nX-Timestamp: ${stamp}\r\n\r\n`,
      );
      res.write(jpeg);
      res.write(`\r\n--${FAKE_BOUNDARY}\r\n`);
      res.uncork();
    }, 1000 / this.#options.fps);
    res.on("close", () => {
      clearInterval(timer);
      this.#streams.delete(res);
    });
  }
}

export async function startFakeMjpegCamera(options: FakeCameraOptions = {}): Promise<FakeMjpegCamera> {
  const camera = new FakeMjpegCamera(options);
  await camera.start();
  return camera;
}
