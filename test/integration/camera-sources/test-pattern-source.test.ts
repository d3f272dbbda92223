import { describe, expect, it } from "vitest";
import { jpegSize } from "../../../server/camera/render/jpeg-size.ts";
import type { TestPatternCameraConfig } from "../../../server/camera/sources/camera-source.ts";
import { isWholeJpeg } from "../../../server/camera/sources/jpeg.ts";
import { TestPatternSource } from "../../../server/camera/sources/test-pattern-source.ts";
import { isHostError } from "../../../server/util/errors.ts";
import { silentLogger } from "../../../server/util/log.ts";
import { until } from "../../helpers/until.ts";
import { processExists } from "./camera-test-kit.ts";

const CONFIG: TestPatternCameraConfig = { kind: "test-pattern", width: 320, height: 240, fps: 25 };

function source(config: Partial<TestPatternCameraConfig> = {}, ffmpegPath?: string): TestPatternSource {
  return new TestPatternSource({ ...CONFIG, ...config }, { log: silentLogger(), ffmpegPath });
}

function stream(from: TestPatternSource) {
  const frames: Buffer[] = [];
  let upstream: ReturnType<TestPatternSource["openStream"]> | undefined;
  const ended = new Promise<Error | null>((resolve) => {
    upstream = from.openStream((jpeg) => frames.push(jpeg), resolve);
  });
  return { frames, ended, upstream: upstream as NonNullable<typeof upstream> };
}

describe("TestPatternSource", () => {
  it("streams whole JPEGs of the configured size; after close its ffmpeg is gone", async () => {
    const s = stream(source());
    const pid = s.upstream.pid as number;
    expect(processExists(pid)).toBe(true);
    await until(
      async () => s.frames.length,
      (n) => n >= 5,
      "5 frames",
      5000,
    );
    for (const jpeg of s.frames) {
      expect(isWholeJpeg(jpeg)).toBe(true);
      expect(jpegSize(jpeg)).toEqual({ width: 320, height: 240 });
    }
    const count = s.frames.length;
    s.upstream.close();
    expect(await s.ended).toBeNull();
    // onEnd comes after the child has exited and been reaped; no frame came after close().
    expect(processExists(pid)).toBe(false);
    expect(s.frames).toHaveLength(count);
  });

  it("takes a snapshot with a one-frame ffmpeg when no stream is open", async () => {
    const jpeg = await source().snapshot();
    expect(isWholeJpeg(jpeg)).toBe(true);
    expect(jpegSize(jpeg)).toEqual({ width: 320, height: 240 });
  });

  it("takes a snapshot from the open stream", async () => {
    const camera = source();
    const s = stream(camera);
    const jpeg = await camera.snapshot();
    expect(s.frames).toContain(jpeg);
    s.upstream.close();
    await s.ended;
  });

  it("ends the stream with ffmpeg's own words when it fails", async () => {
    const error = await stream(source({ width: 0, height: 0 })).ended;
    expect(isHostError(error, "CAMERA")).toBe(true);
    expect(error?.message).toMatch(
      /^camera stream test pattern failed: ffmpeg exited with code 1: .*Invalid argument/,
    );
  });

  it("reports an ffmpeg that cannot be run", async () => {
    const missing = source({}, "/nonexistent/ffmpeg");
    const ended = await stream(missing).ended;
    expect(ended?.message).toBe(
      "camera stream test pattern failed: cannot run /nonexistent/ffmpeg: spawn /nonexistent/ffmpeg ENOENT",
    );
    const snapshot = await missing.snapshot().catch((err: unknown) => err);
    expect(isHostError(snapshot, "CAMERA")).toBe(true);
    expect((snapshot as Error).message).toBe(
      "camera snapshot test pattern failed: cannot run /nonexistent/ffmpeg: spawn /nonexistent/ffmpeg ENOENT",
    );
  });
});
