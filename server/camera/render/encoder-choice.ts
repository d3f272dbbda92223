import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Logger } from "../../util/log.ts";
import { stderrTail } from "../ffmpeg-stderr.ts";
import { type EncoderPreference, encoderArgs, type H264Encoder } from "./render-args.ts";

const run = promisify(execFile);

/** A trial that has not finished by then is treated as a failure (a wedged driver must not block renders). */
const TRIAL_TIMEOUT_MS = 20_000;
const TRIAL_SIZE = { width: 320, height: 240 };

/**
 * Names in `ffmpeg -encoders` output, whose rows look like
 * ` V..... h264_v4l2m2m         V4L2 mem2mem H.264 encoder wrapper (codec h264)`
 * (six capability flags, the name, the description).
 */
export function parseEncoderList(output: string): Set<string> {
  const names = new Set<string>();
  for (const line of output.split("\n")) {
    const match = /^\s*[VAS][A-Z.]{5}\s+(\S+)\s/.exec(line);
    if (match?.[1] !== undefined) names.add(match[1]);
  }
  return names;
}

/**
 * The result per ffmpeg binary, for the life of the process: the hardware does not come and go, and a
 * trial costs a process start (a second or so on a Pi Zero). The promise is kept, so concurrent callers
 * share one trial.
 */
const choices = new Map<string, Promise<H264Encoder>>();

/**
 * The H.264 encoder to use with the ffmpeg at `ffmpegPath`. A forced one is returned as it is (if it
 * cannot work, the render fails and says why). "auto" picks `h264_v4l2m2m` (the Pi 3/4 hardware encoder)
 * only when ffmpeg lists it AND a trial encode with the same options as a render succeeds: builds such as
 * the static one bundled here list it on machines without the device, and a Pi 5 has no encoder at all.
 * Otherwise libx264. Never rejects.
 */
export function chooseEncoder(
  ffmpegPath: string,
  prefer: EncoderPreference,
  log: Logger,
): Promise<H264Encoder> {
  if (prefer !== "auto") return Promise.resolve(prefer);
  let choice = choices.get(ffmpegPath);
  if (choice === undefined) {
    choice = probe(ffmpegPath, log);
    choices.set(ffmpegPath, choice);
  }
  return choice;
}

async function probe(ffmpegPath: string, log: Logger): Promise<H264Encoder> {
  let listed: Set<string>;
  try {
    const { stdout } = await run(ffmpegPath, ["-hide_banner", "-nostdin", "-encoders"], {
      timeout: TRIAL_TIMEOUT_MS,
      maxBuffer: 4 * 1024 * 1024,
    });
    listed = parseEncoderList(stdout);
  } catch (err) {
    log.warn({ err, ffmpeg: ffmpegPath }, "ffmpeg -encoders failed; using libx264");
    return "libx264";
  }
  if (!listed.has("h264_v4l2m2m")) {
    log.info({ ffmpeg: ffmpegPath }, "ffmpeg has no h264_v4l2m2m; using libx264");
    return "libx264";
  }
  try {
    await run(ffmpegPath, trialArgs(), { timeout: TRIAL_TIMEOUT_MS, killSignal: "SIGKILL" });
    log.info({ ffmpeg: ffmpegPath }, "h264_v4l2m2m trial encode succeeded; using the hardware encoder");
    return "h264_v4l2m2m";
  } catch (err) {
    const stderr = typeof err === "object" && err !== null && "stderr" in err ? String(err.stderr) : "";
    log.info(
      { ffmpeg: ffmpegPath, stderr: stderrTail(stderr, 3) },
      "ffmpeg lists h264_v4l2m2m but a trial encode failed (no hardware encoder here); using libx264",
    );
    return "libx264";
  }
}

/** Two frames of a lavfi test pattern through the hardware encoder, with a render's options, to nowhere. */
export function trialArgs(): string[] {
  const fps = 25;
  return [
    "-hide_banner",
    "-nostdin",
    "-v",
    "error",
    "-f",
    "lavfi",
    "-i",
    `testsrc2=size=${TRIAL_SIZE.width}x${TRIAL_SIZE.height}:rate=${fps}`,
    "-frames:v",
    "2",
    ...encoderArgs({ encoder: "h264_v4l2m2m", fps, size: TRIAL_SIZE, threads: 1 }),
    "-f",
    "null",
    "-",
  ];
}
