import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RenderQueue } from "../../../server/camera/render/render-queue.ts";
import { silentLogger } from "../../../server/util/log.ts";
import { probeVideo } from "../../helpers/ffprobe.ts";
import { writeJpegFrames } from "../../helpers/jpeg-frames.ts";

let root: string;
let small: string;
let long: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), "layerwatch-render-queue-"));
  small = join(root, "small");
  long = join(root, "long");
  await writeJpegFrames(small, 6, 320, 240);
  await writeJpegFrames(long, 60, 1280, 720);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe("RenderQueue with real renders", () => {
  it("renders queued jobs one at a time, holding them while the gate is closed", async () => {
    const out = join(root, "out-sequence");
    mkdirSync(out);
    let printing = true;
    const queue = new RenderQueue({ log: silentLogger(), canRun: () => !printing });
    const running: string[] = [];
    let overlap = false;
    queue.on("started", (id) => {
      if (queue.status().running !== id || running.length > 0) overlap = true;
      running.push(id);
    });
    queue.on("done", (id) => running.splice(running.indexOf(id), 1));
    const a = queue.enqueue({ id: "a", input: small, options: { output: join(out, "a.mp4"), fps: 10 } });
    const b = queue.enqueue({ id: "b", input: small, options: { output: join(out, "b.mp4"), fps: 10 } });
    expect(queue.status()).toEqual({ running: null, waiting: ["a", "b"] });
    printing = false;
    queue.poke();
    const [ra, rb] = await Promise.all([a, b]);
    expect(overlap).toBe(false);
    expect(ra.frames).toBe(6);
    expect(await probeVideo(rb.path)).toMatchObject({ nb_read_frames: 6 });
    expect(readdirSync(out).sort()).toEqual(["a.mp4", "b.mp4"]);
    await queue.stop();
  });

  it("stop() cancels the running render (no files left) and rejects the waiting one", async () => {
    const out = join(root, "out-stop");
    mkdirSync(out);
    const queue = new RenderQueue({ log: silentLogger(), canRun: () => true });
    const progressed = new Promise<void>((resolve) => queue.on("progress", () => resolve()));
    const a = queue
      .enqueue({
        id: "a",
        input: long,
        options: { output: join(out, "a.mp4"), postRollSeconds: 60, threads: 1 },
      })
      .catch((err: unknown) => err);
    const b = queue
      .enqueue({ id: "b", input: small, options: { output: join(out, "b.mp4") } })
      .catch((err: unknown) => err);
    await progressed;
    await queue.stop();
    expect(await a).toMatchObject({ code: "RENDER", message: expect.stringMatching(/^cancelled/) });
    expect(await b).toMatchObject({ code: "RENDER", message: expect.stringMatching(/stopped/) });
    expect(readdirSync(out)).toEqual([]);
  });
});
