import { statSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HostError, isHostError } from "../../util/errors.ts";
import { ffmpegBinaries } from "../ffmpeg-binaries.ts";
import type { CameraSource, CameraSourceDeps, FrameUpstream, UsbCameraConfig } from "./camera-source.ts";
import { failedUpstream } from "./failed-upstream.ts";
import { FFMPEG_QUIET } from "./ffmpeg-run.ts";
import { FrameTap, startTappedUpstream } from "./frame-tap.ts";
import { isJpeg } from "./jpeg.ts";

const require = createRequire(import.meta.url);

/** fswebcam opens the device, negotiates and may skip frames: slower than a frame from a stream. */
const SNAPSHOT_TIMEOUT_MS = 10_000;
/** JPEG quality fswebcam re-encodes the snapshot at (0–100). */
const SNAPSHOT_QUALITY = 90;
/**
 * node-webcam runs fswebcam through a shell string, so the device and output paths must be plain:
 * /dev/video0, /dev/v4l/by-id/usb-Logitech_HD_C270-video-index0, /dev/v4l/by-path/…-usb-0:1.2:1.0-video-index0.
 */
const PLAIN_PATH = /^\/[\w./:+-]+$/;

/** The options node-webcam 0.8 reads (src/Webcam.js Defaults, src/webcams/FSWebcam.js). */
export interface NodeWebcamOptions {
  device: string;
  width: number;
  height: number;
  quality: number;
  output: "jpeg";
  callbackReturn: "buffer";
  saveShots: false;
  delay: 0;
  verbose: false;
  topBanner: false;
  bottomBanner: false;
}

interface NodeWebcam {
  capture(location: string, callback: (err: Error | null, data?: unknown) => void): void;
}

export function usbWebcamOptions(config: UsbCameraConfig): NodeWebcamOptions {
  return {
    device: config.device,
    width: config.width,
    height: config.height,
    quality: SNAPSHOT_QUALITY,
    output: "jpeg",
    callbackReturn: "buffer",
    saveShots: false,
    delay: 0,
    verbose: false,
    topBanner: false,
    bottomBanner: false,
  };
}

/** The camera's own MJPEG, copied into MPJPEG parts untouched (`-c:v copy`): no decode, no encode. */
export function usbStreamArgs(config: UsbCameraConfig): string[] {
  return [
    ...FFMPEG_QUIET,
    ...["-f", "v4l2", "-input_format", "mjpeg"],
    ...["-video_size", `${config.width}x${config.height}`, "-framerate", String(config.fps)],
    ...["-i", config.device],
    ...["-c:v", "copy", "-f", "mpjpeg", "-flush_packets", "1", "-"],
  ];
}

/**
 * Throws unless `device` is a character device: HostError("CONFIG") for a path that is not plain,
 * HostError("CAMERA", "camera <what> <device> failed: …") when it is missing or something else.
 */
export function checkVideoDevice(device: string, what: "snapshot" | "stream"): void {
  if (!PLAIN_PATH.test(device))
    throw new HostError("CONFIG", `camera device ${JSON.stringify(device)} is not a plain /dev path`);
  const fail = (reason: string) => new HostError("CAMERA", `camera ${what} ${device} failed: ${reason}`);
  let isDevice: boolean;
  try {
    isDevice = statSync(device).isCharacterDevice();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === "ENOENT" ? "no such device (is the webcam plugged in?)" : `cannot stat it (${code})`);
  }
  if (!isDevice) throw fail("not a video device");
}

/**
 * A V4L2 webcam. The stream is ffmpeg copying the camera's MJPEG; a snapshot is the next frame of
 * an open stream (the device streams to one reader), else one fswebcam capture through node-webcam.
 */
export class UsbSource implements CameraSource {
  readonly kind = "usb";
  readonly #config: UsbCameraConfig;
  readonly #deps: CameraSourceDeps;
  readonly #tap = new FrameTap();

  constructor(config: UsbCameraConfig, deps: CameraSourceDeps) {
    this.#config = config;
    this.#deps = deps;
  }

  snapshot(): Promise<Buffer> {
    const what = `camera snapshot ${this.#config.device}`;
    return this.#tap.nextOr(SNAPSHOT_TIMEOUT_MS, what, () => this.#snapshotOnce(what));
  }

  /** One fswebcam capture (the device is not streaming). */
  async #snapshotOnce(what: string): Promise<Buffer> {
    checkVideoDevice(this.#config.device, "snapshot");
    const tmp = this.#deps.tmpDir ?? tmpdir();
    if (!PLAIN_PATH.test(tmp))
      throw new HostError("CONFIG", `temporary directory ${JSON.stringify(tmp)} is not a plain path`);
    const dir = await mkdtemp(join(tmp, "layerwatch-snapshot-"));
    try {
      const jpeg = await this.#capture(join(dir, "snapshot.jpg"));
      if (!isJpeg(jpeg))
        throw new HostError("CAMERA", `${what} failed: fswebcam wrote something that is not a JPEG`);
      return jpeg;
    } catch (err) {
      if (isHostError(err)) throw err;
      throw new HostError("CAMERA", `${what} failed: ${fswebcamReason(err)}`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  openStream(onFrame: (jpeg: Buffer) => void, onEnd: (err: Error | null) => void): FrameUpstream {
    try {
      checkVideoDevice(this.#config.device, "stream");
    } catch (err) {
      return failedUpstream(err as Error, onEnd);
    }
    return startTappedUpstream(
      this.#tap,
      {
        ffmpegPath: this.#deps.ffmpegPath ?? ffmpegBinaries().ffmpeg,
        args: usbStreamArgs(this.#config),
        label: this.#config.device,
        log: this.#deps.log,
      },
      onFrame,
      onEnd,
    );
  }

  /** node-webcam's capture(null) hands back fswebcam's stderr, not the picture, so it writes a file. */
  #capture(location: string): Promise<Buffer> {
    const webcam = (require("node-webcam") as { create(o: NodeWebcamOptions): NodeWebcam }).create(
      usbWebcamOptions(this.#config),
    );
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out after ${SNAPSHOT_TIMEOUT_MS} ms`)),
        SNAPSHOT_TIMEOUT_MS,
      );
      webcam.capture(location, (err, data) => {
        clearTimeout(timer);
        if (err) reject(err);
        else if (Buffer.isBuffer(data)) resolve(data);
        else reject(new Error("node-webcam returned no picture"));
      });
    });
  }
}

/** exec's error for a missing binary is `/bin/sh: 1: fswebcam: not found` with code 127. */
function fswebcamReason(err: unknown): string {
  const e = err as { code?: unknown; message?: string };
  if (e.code === 127) return "fswebcam is not installed (apt install fswebcam)";
  const message = e.message ?? String(err);
  return message
    .split("\n")
    .filter((line) => line.trim() !== "")
    .slice(-2)
    .join(" | ");
}
