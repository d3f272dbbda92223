import { ffmpegBinaries } from "../ffmpeg-binaries.ts";
import type { CameraSource, CameraSourceDeps, TestPatternCameraConfig } from "./camera-source.ts";
import { FFMPEG_QUIET, ffmpegSnapshot } from "./ffmpeg-run.ts";
import type { FfmpegUpstream } from "./ffmpeg-upstream.ts";
import { FrameTap, startTappedUpstream } from "./frame-tap.ts";

/** mjpeg's quantiser scale, 2 (best) to 31: 7 gives ~17 kB at 640x480, plenty for a test picture. */
const QUALITY = "7";
const SNAPSHOT_TIMEOUT_MS = 5000;
const LABEL = "test pattern";

function patternInput(config: TestPatternCameraConfig): string[] {
  return ["-f", "lavfi", "-i", `testsrc2=size=${config.width}x${config.height}:rate=${config.fps}`];
}

/**
 * The live pattern: `-re` paces lavfi at its frame rate (it would otherwise render as fast as the
 * CPU allows), `-flush_packets 1` writes each part as soon as it is muxed.
 */
export function testPatternStreamArgs(config: TestPatternCameraConfig): string[] {
  return [
    ...FFMPEG_QUIET,
    "-re",
    ...patternInput(config),
    ...["-c:v", "mjpeg", "-q:v", QUALITY, "-f", "mpjpeg", "-flush_packets", "1", "-"],
  ];
}

export function testPatternSnapshotArgs(config: TestPatternCameraConfig): string[] {
  return [
    ...FFMPEG_QUIET,
    ...patternInput(config),
    ...["-frames:v", "1", "-c:v", "mjpeg", "-q:v", QUALITY, "-f", "image2pipe", "-"],
  ];
}

/**
 * ffmpeg's testsrc2 as a camera: a stream is one ffmpeg child; a snapshot is the next frame of an
 * open stream, else a one-frame ffmpeg run (tens of ms).
 */
export class TestPatternSource implements CameraSource {
  readonly kind = "test-pattern";
  readonly #config: TestPatternCameraConfig;
  readonly #deps: CameraSourceDeps;
  readonly #tap = new FrameTap();

  constructor(config: TestPatternCameraConfig, deps: CameraSourceDeps) {
    this.#config = config;
    this.#deps = deps;
  }

  async snapshot(): Promise<Buffer> {
    if (this.#tap.streaming) {
      const jpeg = await this.#tap.next(SNAPSHOT_TIMEOUT_MS, `camera snapshot ${LABEL}`);
      if (jpeg !== null) return jpeg;
    }
    return ffmpegSnapshot({
      ffmpegPath: this.#ffmpegPath(),
      args: testPatternSnapshotArgs(this.#config),
      label: LABEL,
      timeoutMs: SNAPSHOT_TIMEOUT_MS,
    });
  }

  openStream(onFrame: (jpeg: Buffer) => void, onEnd: (err: Error | null) => void): FfmpegUpstream {
    return startTappedUpstream(
      this.#tap,
      {
        ffmpegPath: this.#ffmpegPath(),
        args: testPatternStreamArgs(this.#config),
        label: LABEL,
        log: this.#deps.log,
      },
      onFrame,
      onEnd,
    );
  }

  #ffmpegPath(): string {
    return this.#deps.ffmpegPath ?? ffmpegBinaries().ffmpeg;
  }
}
