import { HostError } from "../../util/errors.ts";
import type { CameraSource, CameraSourceDeps, FrameUpstream, HttpCameraConfig } from "./camera-source.ts";
import { isJpeg, MAX_JPEG_BYTES } from "./jpeg.ts";
import { boundaryOf, MjpegParser } from "./mjpeg-parser.ts";

/** A failure whose message is already the reason to show (no cause to dig out). */
class Reason extends Error {}

interface CameraRequest {
  url: string;
  /** The URL as errors and logs show it: without user and password. */
  shown: string;
  headers: Record<string, string>;
}

/**
 * fetch refuses URLs with credentials; ustreamer's `--user/--passwd` and mjpg-streamer's `-c` want
 * HTTP Basic, so `http://user:pass@host/…` becomes an Authorization header.
 */
export function cameraRequest(raw: string): CameraRequest {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { url: raw, shown: raw, headers: {} };
  }
  const headers: Record<string, string> = {};
  if (url.username !== "" || url.password !== "") {
    const user = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.authorization = `Basic ${Buffer.from(user).toString("base64")}`;
    url.username = "";
    url.password = "";
  }
  return { url: url.href, shown: url.href, headers };
}

/** The reason a fetch failed: undici's "fetch failed" TypeError carries the socket error as its cause. */
function reasonOf(err: unknown): string {
  if (err instanceof Reason) return err.message;
  if (err instanceof Error) {
    const cause = err.cause;
    if (cause instanceof Error) {
      const code = (cause as NodeJS.ErrnoException).code;
      return code !== undefined && !cause.message.includes(code)
        ? `${cause.message} (${code})`
        : cause.message;
    }
    return err.message;
  }
  return String(err);
}

/**
 * A camera behind ustreamer, mjpg-streamer or camera-streamer. A snapshot is one GET (its body
 * capped at MAX_JPEG_BYTES and checked to be a JPEG); the stream is one GET of a
 * multipart/x-mixed-replace response, parsed by MjpegParser. The stream fails when the camera
 * sends nothing for timeoutMs.
 */
export class HttpSource implements CameraSource {
  readonly kind = "http";
  readonly #config: HttpCameraConfig;
  readonly #deps: CameraSourceDeps;

  constructor(config: HttpCameraConfig, deps: CameraSourceDeps) {
    this.#config = config;
    this.#deps = deps;
  }

  async snapshot(): Promise<Buffer> {
    const request = cameraRequest(this.#config.snapshotUrl);
    const { timeoutMs } = this.#config;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(new Reason(`timed out after ${timeoutMs} ms`)), timeoutMs);
    try {
      const res = await fetch(request.url, {
        signal: abort.signal,
        headers: { ...request.headers, accept: "image/jpeg" },
      });
      if (!res.ok || res.body === null) throw new Reason(`HTTP ${res.status} ${res.statusText}`.trim());
      const declared = Number(res.headers.get("content-length") ?? "0");
      if (declared > MAX_JPEG_BYTES) throw new Reason(`Content-Length ${declared} is over ${MAX_JPEG_BYTES}`);
      const chunks: Uint8Array[] = [];
      let bytes = 0;
      for await (const chunk of res.body) {
        bytes += chunk.length;
        if (bytes > MAX_JPEG_BYTES) throw new Reason(`the body is over ${MAX_JPEG_BYTES} bytes`);
        chunks.push(chunk);
      }
      const jpeg = Buffer.concat(chunks);
      if (!isJpeg(jpeg)) {
        const type = res.headers.get("content-type") ?? "none";
        throw new Reason(`not a JPEG (Content-Type ${type}, ${jpeg.length} bytes)`);
      }
      return jpeg;
    } catch (err) {
      const why = abort.signal.aborted ? abort.signal.reason : err;
      throw new HostError("CAMERA", `camera snapshot ${request.shown} failed: ${reasonOf(why)}`);
    } finally {
      clearTimeout(timer);
      abort.abort();
    }
  }

  openStream(onFrame: (jpeg: Buffer) => void, onEnd: (err: Error | null) => void): FrameUpstream {
    const request = cameraRequest(this.#config.streamUrl);
    const abort = new AbortController();
    let closed = false;
    const deliver = (jpeg: Buffer) => {
      if (!closed) onFrame(jpeg);
    };
    const finish = (err: unknown) => {
      if (closed) return onEnd(null);
      const why = abort.signal.aborted ? abort.signal.reason : err;
      onEnd(new HostError("CAMERA", `camera stream ${request.shown} failed: ${reasonOf(why)}`));
    };
    this.#deps.log.debug({ url: request.shown }, "camera stream: connecting");
    this.#pump(request, abort, deliver).then(
      () => finish(new Reason("the camera ended the stream")),
      (err: unknown) => finish(err),
    );
    return {
      close() {
        if (closed) return;
        closed = true;
        abort.abort();
      },
    };
  }

  async #pump(
    request: CameraRequest,
    abort: AbortController,
    deliver: (jpeg: Buffer) => void,
  ): Promise<void> {
    const { timeoutMs } = this.#config;
    let silence: NodeJS.Timeout | null = null;
    const arm = (what: string) => {
      if (silence !== null) clearTimeout(silence);
      silence = setTimeout(() => abort.abort(new Reason(`${what} within ${timeoutMs} ms`)), timeoutMs);
    };
    try {
      arm("no response");
      const res = await fetch(request.url, {
        signal: abort.signal,
        headers: { ...request.headers, accept: "multipart/x-mixed-replace" },
      });
      if (!res.ok || res.body === null) throw new Reason(`HTTP ${res.status} ${res.statusText}`.trim());
      const type = res.headers.get("content-type") ?? "";
      if (!/^multipart\/x-mixed-replace\b/i.test(type))
        throw new Reason(`Content-Type is ${type || "missing"}, not multipart/x-mixed-replace`);
      const parser = new MjpegParser({ boundary: boundaryOf(type) ?? undefined });
      arm("no data");
      for await (const chunk of res.body) {
        arm("no data");
        for (const jpeg of parser.push(chunk)) deliver(jpeg);
      }
    } finally {
      if (silence !== null) clearTimeout(silence);
    }
  }
}
