import { describe, expect, it } from "vitest";
import {
  checkLevel41,
  defaultThreads,
  encoderArgs,
  fitWithin,
  hardwareBitrateKbps,
  posterInputArgs,
  posterOutputArgs,
  postRollFrames,
  timelapseFilters,
  timelapseInputArgs,
  timelapseOutputArgs,
} from "../../../../server/camera/render/render-args.ts";
import { isHostError } from "../../../../server/util/errors.ts";

describe("fitWithin", () => {
  it("scales down to the cap, keeping the aspect", () => {
    expect(fitWithin({ width: 1280, height: 720 }, 640, 360)).toEqual({ width: 640, height: 360 });
    expect(fitWithin({ width: 2592, height: 1944 }, 1920, 1080)).toEqual({ width: 1440, height: 1080 });
    expect(fitWithin({ width: 1280, height: 720 }, 500, 500)).toEqual({ width: 500, height: 280 });
  });

  it("never upscales", () => {
    expect(fitWithin({ width: 320, height: 240 }, 1920, 1080)).toEqual({ width: 320, height: 240 });
  });

  it("rounds odd sides down to even", () => {
    expect(fitWithin({ width: 321, height: 241 }, 1920, 1080)).toEqual({ width: 320, height: 240 });
    expect(fitWithin({ width: 1920, height: 1081 }, 1920, 1080)).toEqual({ width: 1918, height: 1080 });
    expect(fitWithin({ width: 3, height: 1 }, 1920, 1080)).toEqual({ width: 2, height: 2 });
  });
});

describe("checkLevel41", () => {
  it("accepts 1080p and rejects frames over 8192 macroblocks or 4096 pixels a side", () => {
    expect(() => checkLevel41({ width: 1920, height: 1080 })).not.toThrow();
    expect(() => checkLevel41({ width: 2048, height: 1024 })).not.toThrow();
    for (const size of [
      { width: 2560, height: 1440 },
      { width: 4112, height: 32 },
    ]) {
      let caught: unknown;
      try {
        checkLevel41(size);
      } catch (err) {
        caught = err;
      }
      expect(isHostError(caught, "INVALID_INPUT")).toBe(true);
    }
  });
});

describe("threads and post-roll", () => {
  it("leaves a core to the daemon and uses at most 2", () => {
    expect([1, 2, 3, 4, 8].map((cores) => defaultThreads(cores))).toEqual([1, 1, 2, 2, 2]);
  });

  it("counts round(seconds × fps) post-roll frames", () => {
    expect(postRollFrames(1, 10)).toBe(10);
    expect(postRollFrames(2.5, 25)).toBe(63);
    expect(postRollFrames(0, 25)).toBe(0);
  });
});

describe("timelapse arguments", () => {
  it("builds the filter chain, with tpad only for a post-roll", () => {
    expect(timelapseFilters({ width: 640, height: 360 }, 0)).toEqual([
      "scale=640:360",
      "setsar=1",
      "format=yuv420p",
    ]);
    expect(timelapseFilters({ width: 320, height: 240 }, 1.5)).toEqual([
      "scale=320:240",
      "setsar=1",
      "format=yuv420p",
      "tpad=stop_mode=clone:stop_duration=1.5",
    ]);
  });

  it("reads the numbered frames from 1 at the movie's rate", () => {
    expect(timelapseInputArgs(10)).toEqual([
      "-hide_banner",
      "-nostdin",
      "-xerror",
      "-framerate",
      "10",
      "-start_number",
      "1",
    ]);
  });

  it("encodes with libx264 veryfast, CRF 23, High@4.1, yuv420p, a 2 s GOP", () => {
    expect(
      encoderArgs({ encoder: "libx264", fps: 25, size: { width: 1920, height: 1080 }, threads: 2 }),
    ).toEqual([
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-crf",
      "23",
      "-maxrate",
      "20M",
      "-bufsize",
      "40M",
      "-profile:v",
      "high",
      "-level",
      "4.1",
      "-pix_fmt",
      "yuv420p",
      "-g",
      "50",
      "-threads",
      "2",
    ]);
  });

  it("gives the hardware encoder a bit rate, numeric profile and level, no threads", () => {
    expect(
      encoderArgs({ encoder: "h264_v4l2m2m", fps: 25, size: { width: 1920, height: 1080 }, threads: 2 }),
    ).toEqual([
      "-c:v",
      "h264_v4l2m2m",
      "-b:v",
      "5184k",
      "-profile:v",
      "100",
      "-level",
      "41",
      "-pix_fmt",
      "yuv420p",
      "-g",
      "50",
    ]);
  });

  it("clamps the hardware bit rate to 500 kbit/s .. 20 Mbit/s", () => {
    expect(hardwareBitrateKbps({ width: 320, height: 240 }, 10)).toBe(500);
    expect(hardwareBitrateKbps({ width: 1280, height: 720 }, 30)).toBe(2765);
    expect(hardwareBitrateKbps({ width: 1920, height: 1080 }, 120)).toBe(20_000);
  });

  it("puts filters, encoder and an MP4 with moov first together", () => {
    expect(
      timelapseOutputArgs({ encoder: "libx264", fps: 10, size: { width: 320, height: 240 }, threads: 1 }, 1),
    ).toEqual([
      "-vf",
      "scale=320:240,setsar=1,format=yuv420p,tpad=stop_mode=clone:stop_duration=1",
      "-c:v",
      "libx264",
      "-preset",
      "veryfast",
      "-crf",
      "23",
      "-maxrate",
      "20M",
      "-bufsize",
      "40M",
      "-profile:v",
      "high",
      "-level",
      "4.1",
      "-pix_fmt",
      "yuv420p",
      "-g",
      "20",
      "-threads",
      "1",
      "-movflags",
      "+faststart",
      "-f",
      "mp4",
    ]);
  });
});

describe("poster arguments", () => {
  it("seeks a video to its last second, reads a frame as it is", () => {
    expect(posterInputArgs("video")).toEqual(["-hide_banner", "-nostdin", "-sseof", "-1"]);
    expect(posterInputArgs("frame")).toEqual(["-hide_banner", "-nostdin"]);
  });

  it("scales to at most maxWidth with even sides and keeps the last frame", () => {
    expect(posterOutputArgs(640)).toEqual([
      "-vf",
      "scale=w='trunc(min(iw,640)/2)*2':h=-2",
      "-update",
      "1",
      "-q:v",
      "3",
      "-f",
      "image2",
    ]);
  });
});
