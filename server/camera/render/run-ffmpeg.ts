import type { FfmpegCommand } from "fluent-ffmpeg";
import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import { stderrTail } from "../ffmpeg-stderr.ts";

export interface RunOptions {
  /** What the command does, for messages: `rendering "/data/timelapse/benchy.mp4"`. */
  what: string;
  log: Logger;
  signal?: AbortSignal;
  /** Output frames so far, from ffmpeg's `frame=` status lines (about twice a second). */
  onFrames?: (frames: number) => void;
}

/**
 * A RENDER error from fluent-ffmpeg's failure: its message says `ffmpeg exited with code N: ...` or
 * `ffmpeg was killed with signal S`, or is a spawn error (ENOENT). A SIGKILL we did not send is usually
 * the kernel's OOM killer (§5: "return code -9" on Pis rendering 1080p).
 */
export function ffmpegFailure(what: string, err: Error, stderr: string | null): HostError {
  const tail = stderrTail(stderr ?? "");
  const exit = /exited with code (\d+)/.exec(err.message);
  const signal = /killed with signal (\w+)/.exec(err.message);
  let how: string;
  if (exit !== null) how = `exit code ${exit[1]}`;
  else if (signal !== null)
    how = `killed by ${signal[1]}${signal[1] === "SIGKILL" ? ", e.g. by the kernel when memory ran out" : ""}`;
  else how = err.message;
  const quoted = tail.length > 0 ? `: ${tail.join(" | ")}` : "";
  return new HostError("RENDER", `ffmpeg failed ${what} (${how})${quoted}`, {
    exitCode: exit === null ? null : Number(exit[1]),
    signal: signal?.[1] ?? null,
    stderr: tail,
  });
}

export function cancelled(what: string): HostError {
  return new HostError("RENDER", `cancelled ${what}`, { cancelled: true });
}

/**
 * Runs a prepared fluent-ffmpeg command to completion. Aborting `signal` SIGKILLs ffmpeg (at once, or as
 * soon as it has been spawned if fluent-ffmpeg is still probing capabilities) and rejects with RENDER
 * "cancelled", even if ffmpeg happened to finish meanwhile: the caller discards the output either way.
 */
export function runFfmpeg(command: FfmpegCommand, options: RunOptions): Promise<void> {
  const { what, log, signal, onFrames } = options;
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(cancelled(what));
      return;
    }
    let spawned = false;
    let aborted = false;
    const onAbort = (): void => {
      aborted = true;
      if (spawned) command.kill("SIGKILL");
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const settle = (err: HostError | null): void => {
      signal?.removeEventListener("abort", onAbort);
      if (aborted) reject(cancelled(what));
      else if (err !== null) reject(err);
      else resolve();
    };
    command.on("start", (commandLine) => {
      spawned = true;
      log.debug({ commandLine }, `ffmpeg started ${what}`);
      if (aborted) command.kill("SIGKILL");
    });
    if (onFrames !== undefined) {
      command.on("progress", (progress) => {
        if (Number.isFinite(progress.frames)) onFrames(progress.frames);
      });
    }
    command.on("end", () => settle(null));
    command.on("error", (err, _stdout, stderr) => settle(ffmpegFailure(what, err, stderr)));
    command.run();
  });
}
