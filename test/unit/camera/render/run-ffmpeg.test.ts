import { describe, expect, it } from "vitest";
import { stderrTail } from "../../../../server/camera/ffmpeg-stderr.ts";
import { cancelled, ffmpegFailure } from "../../../../server/camera/render/run-ffmpeg.ts";

const STDERR = [
  "Input #0, image2, from '/t/frame-%06d.jpg':",
  "  Duration: 00:00:01.20, start: 0.000000, bitrate: N/A",
  "    Stream #0:0: Video: mjpeg, yuvj420p(pc, bt470bg/unknown/unknown), 320x240, 10 fps",
  "Stream mapping:",
  "frame=    3 fps=0.0 q=0.0 size=       0kB time=00:00:00.00 bitrate=N/A speed=   0x",
  "[mjpeg @ 0x162c8240] No JPEG data found in image",
  "Conversion failed!",
  "",
].join("\n");

describe("stderrTail", () => {
  it("keeps the last informative lines, not status lines or indented dumps", () => {
    expect(stderrTail(STDERR, 3)).toEqual([
      "Stream mapping:",
      "[mjpeg @ 0x162c8240] No JPEG data found in image",
      "Conversion failed!",
    ]);
  });
});

describe("ffmpegFailure", () => {
  it("gives the exit code and ffmpeg's last lines", () => {
    const err = ffmpegFailure(
      'rendering "/t/a.mp4"',
      new Error("ffmpeg exited with code 1: Conversion failed!"),
      STDERR,
    );
    expect(err.code).toBe("RENDER");
    expect(err.message).toBe(
      "ffmpeg failed rendering \"/t/a.mp4\" (exit code 1): Input #0, image2, from '/t/frame-%06d.jpg': | Stream mapping: | [mjpeg @ 0x162c8240] No JPEG data found in image | Conversion failed!",
    );
    expect(err.details).toMatchObject({ exitCode: 1, signal: null });
  });

  it("says a SIGKILL we did not send is likely the OOM killer", () => {
    const err = ffmpegFailure("rendering x", new Error("ffmpeg was killed with signal SIGKILL"), null);
    expect(err.message).toBe(
      "ffmpeg failed rendering x (killed by SIGKILL, e.g. by the kernel when memory ran out)",
    );
    expect(err.details).toMatchObject({ exitCode: null, signal: "SIGKILL" });
  });

  it("passes a spawn error's message through", () => {
    const err = ffmpegFailure("rendering x", new Error("spawn /nope ENOENT"), "");
    expect(err.message).toBe("ffmpeg failed rendering x (spawn /nope ENOENT)");
  });

  it("words a cancellation as RENDER 'cancelled'", () => {
    expect(cancelled('rendering "/t/a.mp4"')).toMatchObject({
      code: "RENDER",
      message: 'cancelled rendering "/t/a.mp4"',
    });
  });
});
