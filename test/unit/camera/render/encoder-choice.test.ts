import { describe, expect, it } from "vitest";
import {
  chooseEncoder,
  parseEncoderList,
  trialArgs,
} from "../../../../server/camera/render/encoder-choice.ts";
import { silentLogger } from "../../../../server/util/log.ts";

/** Abridged `ffmpeg -hide_banner -encoders` from the bundled 4.1 static build. */
const LISTING = `Encoders:
 V..... = Video
 A..... = Audio
 S..... = Subtitle
 .F.... = Frame-level multithreading
 ------
 V..... libx264              libx264 H.264 / AVC / MPEG-4 AVC / MPEG-4 part 10 (codec h264)
 V..... h264_v4l2m2m         V4L2 mem2mem H.264 encoder wrapper (codec h264)
 VF.... mjpeg                MJPEG (Motion JPEG)
 A..X.. aac                  AAC (Advanced Audio Coding)
`;

describe("encoder choice", () => {
  it("parses encoder names from ffmpeg's listing", () => {
    const names = parseEncoderList(LISTING);
    expect(names.has("libx264")).toBe(true);
    expect(names.has("h264_v4l2m2m")).toBe(true);
    expect(names.has("mjpeg")).toBe(true);
    expect(names.has("aac")).toBe(true);
    expect(names.has("Video")).toBe(false);
  });

  it("trial-encodes two test frames with a render's hardware options", () => {
    expect(trialArgs()).toEqual([
      "-hide_banner",
      "-nostdin",
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=size=320x240:rate=25",
      "-frames:v",
      "2",
      "-c:v",
      "h264_v4l2m2m",
      "-b:v",
      "500k",
      "-profile:v",
      "100",
      "-level",
      "41",
      "-pix_fmt",
      "yuv420p",
      "-g",
      "50",
      "-f",
      "null",
      "-",
    ]);
  });

  it("returns a forced encoder as it is, without running ffmpeg", async () => {
    const log = silentLogger();
    await expect(chooseEncoder("/nonexistent/ffmpeg", "h264_v4l2m2m", log)).resolves.toBe("h264_v4l2m2m");
    await expect(chooseEncoder("/nonexistent/ffmpeg", "libx264", log)).resolves.toBe("libx264");
  });

  it("falls back to libx264 when ffmpeg cannot even list its encoders", async () => {
    await expect(chooseEncoder("/nonexistent/ffmpeg", "auto", silentLogger())).resolves.toBe("libx264");
  });
});
