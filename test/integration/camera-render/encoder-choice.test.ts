import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ffmpegBinaries } from "../../../server/camera/ffmpeg-binaries.ts";
import { chooseEncoder, parseEncoderList } from "../../../server/camera/render/encoder-choice.ts";
import { silentLogger } from "../../../server/util/log.ts";

describe("chooseEncoder on this machine", () => {
  // Development and CI machines have no V4L2 M2M encoder device, while the bundled static ffmpeg lists
  // h264_v4l2m2m: the listing alone must not pick it.
  it("falls back to libx264 when h264_v4l2m2m is listed but its trial encode fails", async () => {
    const { ffmpeg } = ffmpegBinaries();
    const listing = execFileSync(ffmpeg, ["-hide_banner", "-encoders"], { encoding: "utf8" });
    expect(parseEncoderList(listing).has("h264_v4l2m2m")).toBe(true);
    const log = silentLogger();
    const first = chooseEncoder(ffmpeg, "auto", log);
    expect(chooseEncoder(ffmpeg, "auto", log)).toBe(first);
    await expect(first).resolves.toBe("libx264");
  });
});
