import type { Logger } from "../../util/log.ts";
import { HttpSource } from "./http-source.ts";
import { TestPatternSource } from "./test-pattern-source.ts";
import { UsbSource } from "./usb-source.ts";

/** An open MJPEG stream from a camera. */
export interface FrameUpstream {
  /** Stops the stream; unless onEnd has come already, it follows once, with null. Idempotent. */
  close(): void;
}

export interface CameraSource {
  readonly kind: "test-pattern" | "http" | "usb";
  /** One fresh JPEG; rejects HostError("CAMERA", ...) on failure, non-JPEG data, or after timeoutMs. */
  snapshot(): Promise<Buffer>;
  /**
   * Opens the camera's MJPEG stream. onFrame gets each JPEG untouched (no re-encoding); onEnd once,
   * with an error unless close() was called. Neither is called synchronously from openStream.
   */
  openStream(onFrame: (jpeg: Buffer) => void, onEnd: (err: Error | null) => void): FrameUpstream;
}

/** The built-in camera: ffmpeg's testsrc2 pattern (`npm start`, tests, a printer without a camera). */
export interface TestPatternCameraConfig {
  kind: "test-pattern";
  width: number;
  height: number;
  fps: number;
}

/**
 * A camera served over HTTP by ustreamer, mjpg-streamer or camera-streamer, e.g.
 * `http://127.0.0.1:8080/?action=snapshot` and `http://127.0.0.1:8080/?action=stream`.
 */
export interface HttpCameraConfig {
  kind: "http";
  snapshotUrl: string;
  streamUrl: string;
  /** Limit for a snapshot, for the stream's response headers, and for any silence within the stream. */
  timeoutMs: number;
}

/** A V4L2 webcam that encodes MJPEG itself (nearly every USB webcam does). */
export interface UsbCameraConfig {
  kind: "usb";
  device: string;
  width: number;
  height: number;
  fps: number;
}

export type CameraSourceConfig = TestPatternCameraConfig | HttpCameraConfig | UsbCameraConfig;

export const DEFAULT_TEST_PATTERN: TestPatternCameraConfig = {
  kind: "test-pattern",
  width: 640,
  height: 480,
  fps: 10,
};

/** As OctoPrint's `webcam.snapshotTimeout` (5 s). */
export const DEFAULT_HTTP_TIMEOUT_MS = 5000;

export const DEFAULT_USB: UsbCameraConfig = {
  kind: "usb",
  device: "/dev/video0",
  width: 1280,
  height: 720,
  fps: 15,
};

export interface CameraSourceDeps {
  log: Logger;
  /** The ffmpeg to run; ffmpegBinaries().ffmpeg when absent. */
  ffmpegPath?: string;
  /** Where the USB snapshot is written before it is read back; os.tmpdir() when absent. */
  tmpDir?: string;
  /**
   * The running print's progress (0–1), which the test pattern's snapshots draw as a bar, so a
   * time-lapse of the built-in camera shows the print going on; null when nothing prints.
   */
  printProgress?: () => number | null;
}

export function createCameraSource(config: CameraSourceConfig, deps: CameraSourceDeps): CameraSource {
  switch (config.kind) {
    case "test-pattern":
      return new TestPatternSource(config, deps);
    case "http":
      return new HttpSource(config, deps);
    case "usb":
      return new UsbSource(config, deps);
  }
}
