import { describe, expect, it } from "vitest";
import { FfmpegUpstream } from "../../../server/camera/sources/ffmpeg-upstream.ts";
import type { Logger } from "../../../server/util/log.ts";
import { silentLogger } from "../../../server/util/log.ts";
import { recordingLogger } from "../../helpers/recording-logger.ts";
import { until } from "../../helpers/until.ts";
import { processExists } from "./camera-test-kit.ts";

/**
 * A child that ignores SIGTERM, as an ffmpeg stuck on a wedged V4L2 device can. Once its handler
 * is in place it writes one mpjpeg part (a 4-byte SOI+EOI "JPEG"): its first frame says it is ready.
 */
const STUBBORN = [
  "-e",
  [
    "process.on('SIGTERM', () => {});",
    "process.stdout.write('--ffmpeg\\r\\nContent-type: image/jpeg\\r\\nContent-length: 4\\r\\n\\r\\n');",
    "process.stdout.write(Buffer.from('ffd8ffd90d0a', 'hex'));",
    "setInterval(() => {}, 1000);",
  ].join(" "),
];

function run(args: string[], log: Logger = silentLogger(), killGraceMs = 100) {
  const frames: Buffer[] = [];
  let upstream: FfmpegUpstream | undefined;
  const ended = new Promise<Error | null>((resolve) => {
    upstream = new FfmpegUpstream({
      ffmpegPath: process.execPath,
      args,
      label: "stub",
      log,
      onFrame: (jpeg) => frames.push(jpeg),
      onEnd: resolve,
      killGraceMs,
    });
    upstream.start();
  });
  return { upstream: upstream as FfmpegUpstream, ended, frames };
}

describe("FfmpegUpstream", () => {
  it("kills a child that ignores SIGTERM after the grace period, then ends with null", async () => {
    const { log, records } = recordingLogger();
    const { upstream, ended, frames } = run(STUBBORN, log);
    const pid = upstream.pid as number;
    await until(
      async () => frames.length,
      (n) => n === 1,
      "the child's first frame",
      5000,
    );
    expect(frames[0]?.toString("hex")).toBe("ffd8ffd9");
    upstream.close();
    upstream.close();
    expect(await ended).toBeNull();
    expect(processExists(pid)).toBe(false);
    expect(records.find((r) => r.msg === "camera stub: ffmpeg exited")).toMatchObject({ signal: "SIGKILL" });
  });

  it("ends with a CAMERA error carrying the last stderr lines when the child exits on its own", async () => {
    const { ended } = run(["-e", "console.error('line 1\\nline 2'); process.exit(3)"]);
    const error = await ended;
    expect(error?.message).toBe("camera stream stub failed: ffmpeg exited with code 3: line 1 | line 2");
  });
});
