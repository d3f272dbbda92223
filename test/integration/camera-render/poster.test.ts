import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jpegSize } from "../../../server/camera/render/jpeg-size.ts";
import { renderPoster } from "../../../server/camera/render/poster.ts";
import { renderTimelapse } from "../../../server/camera/render/render-timelapse.ts";
import { silentLogger } from "../../../server/util/log.ts";
import { probeVideo } from "../../helpers/ffprobe.ts";
import { writeJpegFrames } from "../../helpers/jpeg-frames.ts";

const log = silentLogger();
let root: string;
let hd: string;
let movie: string;

function outDir(name: string): string {
  const dir = join(root, "out", name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "layerwatch-poster-"));
  hd = join(root, "hd");
  await writeJpegFrames(hd, 8, 1280, 720);
  movie = join(root, "hd.mp4");
  await renderTimelapse(hd, { output: movie, fps: 10 }, { log });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("renderPoster", () => {
  it("writes a JPEG at most 640 wide from a movie's last frame", async () => {
    const dir = outDir("video");
    const out = join(dir, "hd.thumb.jpg");
    const poster = await renderPoster(movie, out, {}, { log });
    expect(poster).toMatchObject({ path: out, width: 640, height: 360 });
    expect(jpegSize(readFileSync(out))).toEqual({ width: 640, height: 360 });
    expect(await probeVideo(out)).toMatchObject({ codec_name: "mjpeg", width: 640, height: 360 });
    expect(poster.bytes).toBe(readFileSync(out).length);
    expect(readdirSync(dir)).toEqual(["hd.thumb.jpg"]);
  });

  it("takes the last frame of a frame directory, and a single frame file", async () => {
    const dir = outDir("frames");
    const fromDir = await renderPoster(hd, join(dir, "a.jpg"), { maxWidth: 320 }, { log });
    expect(fromDir).toMatchObject({ width: 320, height: 180 });
    const fromFrame = await renderPoster(join(hd, "frame-000008.jpg"), join(dir, "b.jpg"), {}, { log });
    expect(fromFrame).toMatchObject({ width: 640, height: 360 });
    expect(readdirSync(dir).sort()).toEqual(["a.jpg", "b.jpg"]);
  });

  it("never upscales, and rounds odd sizes to even", async () => {
    const odd = join(root, "odd");
    await writeJpegFrames(odd, 1, 321, 241);
    const dir = outDir("odd");
    const poster = await renderPoster(odd, join(dir, "p.jpg"), { maxWidth: 640 }, { log });
    expect(poster).toMatchObject({ width: 320, height: 240 });
  });

  it("fails RENDER for a missing source and for a file ffmpeg cannot read, leaving no files", async () => {
    const dir = outDir("bad");
    await expect(
      renderPoster(join(root, "absent.mp4"), join(dir, "p.jpg"), {}, { log }),
    ).rejects.toMatchObject({
      code: "RENDER",
    });
    await expect(
      renderPoster(join(hd, "frame-000001.jpg"), join(dir, "missing-dir", "p.jpg"), {}, { log }),
    ).rejects.toMatchObject({ code: "RENDER" });
    await expect(renderPoster(join(root, "out"), join(dir, "p.jpg"), {}, { log })).rejects.toMatchObject({
      code: "RENDER",
      message: expect.stringMatching(/^no frames/),
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});
