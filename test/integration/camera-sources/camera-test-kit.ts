import { readdirSync, readFileSync } from "node:fs";
import { type ClientRequest, createServer, get, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { MjpegHub } from "../../../server/camera/live/mjpeg-hub.ts";
import { MJPEG_CONTENT_TYPE } from "../../../server/camera/live/multipart.ts";
import { boundaryOf, MjpegParser } from "../../../server/camera/sources/mjpeg-parser.ts";

/** Children of this process named ffmpeg, zombies included (Linux /proc). */
export function ffmpegChildren(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    if (comm === "ffmpeg" && ppid === process.pid) pids.push(Number(entry));
  }
  return pids;
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** An HTTP server whose every request becomes a viewer of `hub`, as the API's stream route does. */
export async function serveHub(
  hub: MjpegHub,
): Promise<{ url: string; responses: ServerResponse[]; server: Server }> {
  const responses: ServerResponse[] = [];
  const server = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": MJPEG_CONTENT_TYPE, "Cache-Control": "no-store" });
    responses.push(res);
    hub.attach(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/stream`, responses, server };
}

export async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  await closed;
}

/** A client reading an MJPEG stream, as a browser's <img> does. */
export class StreamClient {
  readonly frames: Buffer[] = [];
  count = 0;
  ended = false;
  readonly #request: ClientRequest;

  /** `keep: false` only counts frames (for large ones). */
  constructor(url: string, keep = true) {
    this.#request = get(url, (res) => {
      const parser = new MjpegParser({
        boundary: boundaryOf(res.headers["content-type"] ?? "") ?? undefined,
      });
      res.on("data", (chunk: Buffer) => {
        for (const jpeg of parser.push(chunk)) {
          this.count++;
          if (keep) this.frames.push(jpeg);
        }
      });
      res.on("end", () => {
        this.ended = true;
      });
    });
    this.#request.on("error", () => {});
  }

  stop(): void {
    this.#request.destroy();
  }
}
