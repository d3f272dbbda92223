import { ffmpegBinaries } from "../ffmpeg-binaries.ts";
import type { CameraSource, CameraSourceDeps, TestPatternCameraConfig } from "./camera-source.ts";
import { FFMPEG_QUIET, ffmpegSnapshot } from "./ffmpeg-run.ts";
import type { FfmpegUpstream } from "./ffmpeg-upstream.ts";
import { FrameTap, startTappedUpstream } from "./frame-tap.ts";

/** mjpeg's quantiser scale, 2 (best) to 31: 7 gives ~17 kB at 640x480, plenty for a test picture. */
const QUALITY = "7";
const SNAPSHOT_TIMEOUT_MS = 5000;
const LABEL = "test pattern";

/** A bar along the bottom, `fraction` of the width: what a snapshot shows of the print's progress. */
function progressBar(fraction: number | null): string {
  if (fraction === null) return "";
  const width = Math.min(1, Math.max(0, fraction)).toFixed(3);
  return `,drawbox=x=0:y=ih-ih/12:w=iw*${width}:h=ih/12:color=0x2e9e44@0.9:t=fill`;
}

function patternInput(config: TestPatternCameraConfig, fraction: number | null = null): string[] {
  const source = `testsrc2=size=${config.width}x${config.height}:rate=${config.fps}`;
  return ["-f", "lavfi", "-i", `${source}${progressBar(fraction)}`];
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

/** One frame; with the print's progress as a bar when one runs. */
export function testPatternSnapshotArgs(
  config: TestPatternCameraConfig,
  fraction: number | null = null,
): string[] {
  return [
    ...FFMPEG_QUIET,
    ...patternInput(config, fraction),
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

  snapshot(): Promise<Buffer> {
    return this.#tap.nextOr(SNAPSHOT_TIMEOUT_MS, `camera snapshot ${LABEL}`, () =>
      ffmpegSnapshot({
        ffmpegPath: this.#ffmpegPath(),
        args: testPatternSnapshotArgs(this.#config, this.#deps.printProgress?.() ?? null),
        label: LABEL,
        timeoutMs: SNAPSHOT_TIMEOUT_MS,
      }),
    );
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
