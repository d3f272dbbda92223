import { type ChildProcessByStdio, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import type { FrameUpstream } from "./camera-source.ts";
import { describeExit, StderrTail } from "./ffmpeg-run.ts";
import { MjpegParser } from "./mjpeg-parser.ts";

/** The boundary ffmpeg's mpjpeg muxer writes unless `-boundary_tag` says otherwise. */
export const FFMPEG_BOUNDARY = "ffmpeg";
/** SIGTERM lets ffmpeg close its input (a V4L2 device) cleanly; SIGKILL follows after this. */
export const KILL_GRACE_MS = 2000;

export interface FfmpegUpstreamSpec {
  ffmpegPath: string;
  /** Ends with `-f mpjpeg -`: MJPEG parts on stdout. */
  args: readonly string[];
  /** Names the camera in errors and logs, e.g. "test pattern", "/dev/video0". */
  label: string;
  log: Logger;
  onFrame: (jpeg: Buffer) => void;
  onEnd: (err: Error | null) => void;
  killGraceMs?: number;
}

/**
 * One ffmpeg child writing MPJPEG to stdout. onEnd is called once, after the child has exited and
 * its pipes closed (so no zombie, and the device is free again when it is called): with null after
 * close(), else with a CAMERA error carrying ffmpeg's last stderr lines. No frame follows close().
 */
export class FfmpegUpstream implements FrameUpstream {
  readonly #spec: FfmpegUpstreamSpec;
  #child: ChildProcessByStdio<null, Readable, Readable> | null = null;
  #closing = false;
  #ended = false;
  #killTimer: NodeJS.Timeout | null = null;

  constructor(spec: FfmpegUpstreamSpec) {
    this.#spec = spec;
  }

  /** The child's process id while it runs (tests check that it is gone after close). */
  get pid(): number | undefined {
    return this.#child?.pid;
  }

  start(): void {
    const { ffmpegPath, args, label, log } = this.#spec;
    const child = spawn(ffmpegPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;
    const parser = new MjpegParser({ boundary: FFMPEG_BOUNDARY });
    const tail = new StderrTail();
    let spawnError: Error | null = null;
    child.stdout.on("data", (chunk: Buffer) => {
      for (const jpeg of parser.push(chunk)) if (!this.#closing) this.#spec.onFrame(jpeg);
    });
    child.stderr.on("data", (chunk: Buffer) => tail.push(chunk));
    child.on("error", (err) => {
      spawnError ??= err;
    });
    child.on("close", (code, signal) => {
      if (this.#killTimer !== null) clearTimeout(this.#killTimer);
      this.#killTimer = null;
      log.debug({ pid: child.pid, code, signal }, `camera ${label}: ffmpeg exited`);
      if (this.#closing) return this.#end(null);
      const reason =
        spawnError !== null
          ? `cannot run ${ffmpegPath}: ${spawnError.message}`
          : `ffmpeg ${describeExit(code, signal, tail)}`;
      this.#end(new HostError("CAMERA", `camera stream ${label} failed: ${reason}`));
    });
    log.debug({ pid: child.pid, args }, `camera ${label}: ffmpeg started`);
  }

  close(): void {
    if (this.#closing || this.#ended) return;
    this.#closing = true;
    const child = this.#child;
    if (child === null) {
      setImmediate(() => this.#end(null));
      return;
    }
    child.kill("SIGTERM");
    this.#killTimer = setTimeout(() => child.kill("SIGKILL"), this.#spec.killGraceMs ?? KILL_GRACE_MS);
  }

  #end(err: Error | null): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#child = null;
    this.#spec.onEnd(err);
  }
}
