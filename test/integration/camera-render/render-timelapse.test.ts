import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderTimelapse } from "../../../server/camera/render/render-timelapse.ts";
import { silentLogger } from "../../../server/util/log.ts";
import { atomOrder, probeVideo } from "../../helpers/ffprobe.ts";
import { writeJpegFrames } from "../../helpers/jpeg-frames.ts";
import { until } from "../../helpers/until.ts";

const log = silentLogger();
let root: string;
let small: string;

/** A fresh, empty output directory per test, so "no files left behind" is a directory listing. */
function outDir(name: string): string {
  const dir = join(root, "out", name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** ffmpeg processes that are children of this process (fluent-ffmpeg execs `nice`, which execs ffmpeg). */
function childFfmpegs(): number[] {
  const pids: number[] = [];
  for (const task of readdirSync("/proc/self/task")) {
    const children = readFileSync(`/proc/self/task/${task}/children`, "utf8").trim();
    for (const pid of children === "" ? [] : children.split(" ")) {
      try {
        if (readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "ffmpeg") pids.push(Number(pid));
      } catch {
        // exited meanwhile
      }
    }
  }
  return pids;
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "layerwatch-render-"));
  small = join(root, "small");
  await writeJpegFrames(small, 12, 320, 240);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("renderTimelapse", () => {
  it("renders H.264 High/Main ≤ 4.1, yuv420p, captured + post-roll frames, moov before mdat", async () => {
    const dir = outDir("basic");
    const output = join(dir, "print.mp4");
    const fractions: number[] = [];
    const result = await renderTimelapse(
      small,
      { output, fps: 10, postRollSeconds: 1, onProgress: (f) => fractions.push(f) },
      { log },
    );
    expect(result).toMatchObject({ path: output, frames: 22, durationSeconds: 2.2, width: 320, height: 240 });
    expect(result.encoder).toBe("libx264");
    expect(result.bytes).toBeGreaterThan(0);
    expect(result.seconds).toBeGreaterThan(0);

    const probed = await probeVideo(output);
    expect(probed.codec_name).toBe("h264");
    expect(probed.pix_fmt).toBe("yuv420p");
    expect(["Main", "High"]).toContain(probed.profile);
    expect(probed.level).toBeLessThanOrEqual(41);
    expect(probed.nb_read_frames).toBe(12 + 10);
    expect(probed.duration).toBeCloseTo(2.2, 1);
    expect({ width: probed.width, height: probed.height }).toEqual({ width: 320, height: 240 });

    const atoms = await atomOrder(output);
    expect(atoms.indexOf("moov")).toBeGreaterThanOrEqual(0);
    expect(atoms.indexOf("moov")).toBeLessThan(atoms.indexOf("mdat"));

    expect(fractions.at(-1)).toBe(1);
    expect(fractions.every((f, i) => f > 0 && f <= 1 && (i === 0 || f > (fractions[i - 1] as number)))).toBe(
      true,
    );
    expect(readdirSync(dir)).toEqual(["print.mp4"]);
  });

  it("caps the resolution keeping the aspect: 1280x720 under 640x360 gives 640x360", async () => {
    const frames = join(root, "hd");
    await writeJpegFrames(frames, 5, 1280, 720);
    const output = join(outDir("cap"), "hd.mp4");
    const result = await renderTimelapse(frames, { output, maxWidth: 640, maxHeight: 360 }, { log });
    expect(result).toMatchObject({ width: 640, height: 360, frames: 5 });
    expect(await probeVideo(output)).toMatchObject({ width: 640, height: 360, nb_read_frames: 5 });
  });

  it("rounds odd sizes down to even ones, capped or not", async () => {
    const frames = join(root, "odd");
    await writeJpegFrames(frames, 3, 321, 241);
    const dir = outDir("odd");
    const plain = await renderTimelapse(frames, { output: join(dir, "plain.mp4") }, { log });
    expect(plain).toMatchObject({ width: 320, height: 240 });
    expect(await probeVideo(plain.path)).toMatchObject({ width: 320, height: 240, pix_fmt: "yuv420p" });
    const capped = await renderTimelapse(frames, { output: join(dir, "capped.mp4"), maxWidth: 201 }, { log });
    expect(await probeVideo(capped.path)).toMatchObject({ width: 200, height: 150 });
  });

  it("replaces an existing movie", async () => {
    const dir = outDir("replace");
    const output = join(dir, "print.mp4");
    writeFileSync(output, "an older render");
    const result = await renderTimelapse(small, { output, fps: 25 }, { log });
    expect(await probeVideo(output)).toMatchObject({ nb_read_frames: 12 });
    expect(readdirSync(dir)).toEqual(["print.mp4"]);
    expect(result.bytes).toBeGreaterThan(100);
  });

  it("fails RENDER 'no frames' for an empty directory, and writes nothing", async () => {
    const empty = join(root, "empty");
    mkdirSync(empty);
    const dir = outDir("none");
    await expect(renderTimelapse(empty, { output: join(dir, "x.mp4") }, { log })).rejects.toMatchObject({
      code: "RENDER",
      message: expect.stringMatching(/^no frames/),
    });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("fails RENDER naming the file when a frame in the middle is corrupt, leaving no files", async () => {
    const frames = join(root, "corrupt");
    cpSync(small, frames, { recursive: true });
    writeFileSync(join(frames, "frame-000006.jpg"), Buffer.alloc(3000, 0x5a));
    const dir = outDir("corrupt");
    const output = join(dir, "x.mp4");
    const err = await renderTimelapse(frames, { output }, { log }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "RENDER", details: { exitCode: 1 } });
    expect((err as Error).message).toMatch(/^ffmpeg failed rendering ".*x\.mp4" \(exit code 1\): .*mjpeg/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("fails RENDER when ffmpeg fails (the hardware encoder forced where there is none), leaving no files", async () => {
    const dir = outDir("forced");
    const err = await renderTimelapse(
      small,
      { output: join(dir, "x.mp4"), encoder: "h264_v4l2m2m" },
      { log },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "RENDER" });
    expect((err as Error).message).toMatch(/\(exit code 1\): .*h264_v4l2m2m/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("aborting mid-render kills ffmpeg, rejects RENDER 'cancelled' and leaves no files", async () => {
    const frames = join(root, "long");
    await writeJpegFrames(frames, 100, 1280, 720);
    const dir = outDir("abort");
    const controller = new AbortController();
    let progressed = 0;
    const render = renderTimelapse(
      frames,
      {
        output: join(dir, "x.mp4"),
        postRollSeconds: 60,
        threads: 1,
        signal: controller.signal,
        onProgress: (fraction) => {
          progressed = fraction;
          controller.abort();
        },
      },
      { log },
    );
    await expect(render).rejects.toMatchObject({
      code: "RENDER",
      message: expect.stringMatching(/^cancelled/),
    });
    expect(progressed).toBeGreaterThan(0);
    expect(progressed).toBeLessThan(1);
    expect(readdirSync(dir)).toEqual([]);
    await until(
      async () => childFfmpegs(),
      (pids) => pids.length === 0,
      "ffmpeg to be gone",
      5000,
    );
  });

  it("rejects RENDER 'cancelled' at once for a signal aborted before the start", async () => {
    const dir = outDir("pre-abort");
    const signal = AbortSignal.abort();
    await expect(
      renderTimelapse(small, { output: join(dir, "x.mp4"), signal }, { log }),
    ).rejects.toMatchObject({
      code: "RENDER",
      message: expect.stringMatching(/^cancelled/),
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});
