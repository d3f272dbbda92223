import { HostError } from "../util/errors.ts";
import type { Logger } from "../util/log.ts";
import { MjpegHub } from "./live/mjpeg-hub.ts";
import type { MjpegOutput } from "./live/viewer.ts";
import { type CameraSourceConfig, createCameraSource } from "./sources/camera-source.ts";

/** The camera section of the settings. */
export interface CameraConfig {
  enabled: boolean;
  source: CameraSourceConfig;
  /** Frames per second each live viewer gets at most. */
  maxFps: number;
}

export interface CameraStatus {
  enabled: boolean;
  kind: CameraSourceConfig["kind"];
  viewers: number;
  /** The one upstream stream is open (someone watches, or it lingers). */
  streaming: boolean;
}

export interface CameraServiceDeps {
  config: CameraConfig;
  log: Logger;
  /** The running print's progress (0–1), drawn by the test pattern; null when nothing prints. */
  printProgress?: () => number | null;
}

/** A snapshot for a time-lapse may be the live stream's latest frame when it is this fresh. */
const FRAME_MAX_AGE_MS = 500;

/**
 * The printer's camera: its source (test pattern, HTTP streamer or USB webcam) and the hub that
 * shares one upstream stream among all live viewers. A new config replaces both (viewers of the old
 * one are ended and reconnect). Construct, `start()`, use, `stop()`.
 */
export class CameraService {
  readonly #log: Logger;
  readonly #printProgress: (() => number | null) | undefined;
  #config: CameraConfig;
  #hub: MjpegHub | null = null;

  constructor(deps: CameraServiceDeps) {
    this.#log = deps.log;
    this.#printProgress = deps.printProgress;
    this.#config = deps.config;
  }

  start(): void {
    this.#hub = this.#build(this.#config);
  }

  async stop(): Promise<void> {
    const hub = this.#hub;
    this.#hub = null;
    await hub?.close();
  }

  /** Applies a changed camera section; the same one is a no-op. */
  async reconfigure(config: CameraConfig): Promise<void> {
    if (JSON.stringify(config) === JSON.stringify(this.#config)) return;
    this.#config = config;
    const old = this.#hub;
    this.#hub = this.#build(config);
    await old?.close();
  }

  status(): CameraStatus {
    const stats = this.#hub?.stats();
    return {
      enabled: this.#config.enabled,
      kind: this.#config.source.kind,
      viewers: stats?.viewers ?? 0,
      // The hub holds a latest frame only while its upstream is open.
      streaming: (this.#hub?.latestFrame() ?? null) !== null,
    };
  }

  /** One JPEG: the live stream's latest frame when fresh, else one from the camera. CAMERA when off or failing. */
  snapshot(): Promise<Buffer> {
    return this.#require().snapshot(FRAME_MAX_AGE_MS);
  }

  /** Serves the live MJPEG on `out` (status and Content-Type set by the caller); returns the detach. */
  attach(out: MjpegOutput): () => void {
    return this.#require().attach(out);
  }

  #require(): MjpegHub {
    if (!this.#config.enabled) throw new HostError("CAMERA", "the camera is turned off in the settings");
    if (this.#hub === null) throw new HostError("CAMERA", "the camera is not started");
    return this.#hub;
  }

  #build(config: CameraConfig): MjpegHub {
    const source = createCameraSource(config.source, {
      log: this.#log,
      ...(this.#printProgress !== undefined ? { printProgress: this.#printProgress } : {}),
    });
    return new MjpegHub({ source, log: this.#log, options: { maxFps: config.maxFps } });
  }
}
