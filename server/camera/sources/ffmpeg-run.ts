import { spawn } from "node:child_process";
import { HostError } from "../../util/errors.ts";
import { stderrTail } from "../ffmpeg-stderr.ts";
import { isJpeg, MAX_JPEG_BYTES } from "./jpeg.ts";

/** Before every other option: no banner, errors only on stderr, stdin never read. */
export const FFMPEG_QUIET = ["-hide_banner", "-nostdin", "-loglevel", "error"] as const;

const TAIL_BYTES = 2048;

/** The last bytes a process wrote to stderr: stderr is always read, so the pipe never fills. */
export class StderrTail {
  #text = "";

  push(chunk: Buffer): void {
    this.#text = (this.#text + chunk.toString("utf8")).slice(-TAIL_BYTES);
  }

  /** Its last informative lines (see stderrTail), joined with " | ", or "" when it wrote none. */
  lines(): string {
    return stderrTail(this.#text).join(" | ");
  }
}

/** "exited with code 1: <stderr>" or "killed by SIGKILL". */
export function describeExit(code: number | null, signal: NodeJS.Signals | null, tail: StderrTail): string {
  const how = signal !== null ? `killed by ${signal}` : `exited with code ${code}`;
  const said = tail.lines();
  return said === "" ? how : `${how}: ${said}`;
}

export interface OneShotOptions {
  ffmpegPath: string;
  args: readonly string[];
  /** Names the camera in errors, e.g. "test pattern". */
  label: string;
  timeoutMs: number;
}

/**
 * Runs ffmpeg once to write one JPEG to stdout (`-frames:v 1 -f image2pipe -c:v mjpeg -`) and
 * resolves with it; ffmpeg is killed on timeout or when its output exceeds MAX_JPEG_BYTES.
 */
export function ffmpegSnapshot(options: OneShotOptions): Promise<Buffer> {
  const fail = (reason: string) =>
    new HostError("CAMERA", `camera snapshot ${options.label} failed: ${reason}`);
  return new Promise((resolve, reject) => {
    const child = spawn(options.ffmpegPath, options.args, { stdio: ["ignore", "pipe", "pipe"] });
    const tail = new StderrTail();
    const chunks: Buffer[] = [];
    let bytes = 0;
    let problem: string | null = null;
    const stop = (reason: string) => {
      problem ??= reason;
      child.kill("SIGKILL");
    };
    const timer = setTimeout(() => stop(`timed out after ${options.timeoutMs} ms`), options.timeoutMs);
    child.stdout.on("data", (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > MAX_JPEG_BYTES) stop(`more than ${MAX_JPEG_BYTES} bytes`);
      else chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => tail.push(chunk));
    child.on("error", (err) => {
      problem ??= `cannot run ${options.ffmpegPath}: ${err.message}`;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const jpeg = Buffer.concat(chunks);
      if (problem !== null) reject(fail(problem));
      else if (code !== 0) reject(fail(`ffmpeg ${describeExit(code, signal, tail)}`));
      else if (!isJpeg(jpeg)) reject(fail(`ffmpeg wrote ${jpeg.length} bytes that are not a JPEG`));
      else resolve(jpeg);
    });
  });
}
