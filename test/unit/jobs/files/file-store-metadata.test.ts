import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { gzipSync, inflateSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { analyzeGcodeFile } from "../../../../server/jobs/analysis/analyze-file.ts";
import { PNG_SIGNATURE, solidPng } from "../analysis/png.ts";
import {
  body,
  CUBE_GCODE,
  type Sandbox,
  sandbox,
  sha256,
  tempFiles,
  thumbnailBlock,
} from "./store-harness.ts";

const META = ".layerwatch";
const ARM_GZ = gzipSync("G28\nG1 X5 Y5 Z0.2 E1\n");

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

async function metaFiles(dir: "analysis" | "thumbnails"): Promise<string[]> {
  return (await readdir(join(box.root, META, dir))).sort();
}

describe("FileStore analysis metadata", () => {
  it("writes thumbnails as image files named by hash and size, and they decode", async () => {
    const png = solidPng(2, 3, [0, 128, 255]);
    const gcode =
      thumbnailBlock(png, 2, 3) +
      thumbnailBlock(Buffer.from("jpegbytes"), 4, 4, "thumbnail_JPG") +
      CUBE_GCODE;
    const store = await box.store();
    const saved = await store.save("thumbs.gcode", body(gcode));
    expect(saved.analysis.status).toBe("pending");

    const entry = await store.waitForAnalysis("thumbs.gcode");
    if (entry.analysis.status !== "ready") throw new Error(`analysis ${entry.analysis.status}`);
    const thumbs = entry.analysis.analysis.thumbnails;
    expect(thumbs.map((t) => [t.format, t.width, t.height, basename(t.path)])).toEqual([
      ["png", 2, 3, `${saved.hash}-2x3.png`],
      ["jpg", 4, 4, `${saved.hash}-4x4.jpg`],
    ]);
    const image = await readFile(thumbs[0]?.path ?? "");
    expect(image.equals(png)).toBe(true);
    expect(image.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([2, 3]);
    const idatLength = image.readUInt32BE(33);
    expect(image.subarray(37, 41).toString("ascii")).toBe("IDAT");
    const row = [0, 0, 128, 255, 0, 128, 255];
    expect([...inflateSync(image.subarray(41, 41 + idatLength))]).toEqual([...row, ...row, ...row]);
    expect((await readFile(thumbs[1]?.path ?? "")).toString()).toBe("jpegbytes");
    expect(entry.analysis.analysis.layers).toBe(2);
    expect(await metaFiles("analysis")).toEqual([`${saved.hash}.json`]);
  });

  it("keeps the file when its analysis fails, and records the error", async () => {
    const analyze = vi.fn().mockRejectedValue(new Error("analyser worker crashed"));
    const store = await box.store({ analyze });
    await store.save("x.gcode", body(CUBE_GCODE));
    const entry = await store.waitForAnalysis("x.gcode");
    expect(entry.analysis).toMatchObject({ status: "failed", error: "analyser worker crashed" });
    expect(await readFile(await store.absolutePath("x.gcode"), "utf8")).toBe(CUBE_GCODE);
    expect((await store.list()).map((e) => e.path)).toEqual(["x.gcode"]);
    expect(analyze).toHaveBeenCalledTimes(1);
  });

  it("analyses content again when a file whose analysis failed is uploaded again", async () => {
    const analyze = vi
      .fn()
      .mockRejectedValueOnce(new Error("out of memory"))
      .mockImplementation(analyzeGcodeFile);
    const store = await box.store({ analyze });
    await store.save("x.gcode", body(CUBE_GCODE));
    expect((await store.waitForAnalysis("x.gcode")).analysis.status).toBe("failed");
    await store.save("x.gcode", body(CUBE_GCODE), { overwrite: true });
    expect((await store.waitForAnalysis("x.gcode")).analysis.status).toBe("ready");
  });

  it("shares one record between files with the same content and removes it with the last one", async () => {
    const store = await box.store();
    const png = solidPng(1, 1, [255, 0, 0]);
    const gcode = thumbnailBlock(png, 1, 1) + CUBE_GCODE;
    await store.save("a.gcode", body(gcode));
    await store.save("copies/b.gcode", body(gcode));
    await store.waitForAnalysis("a.gcode");
    const hash = sha256(gcode);
    expect(await metaFiles("analysis")).toEqual([`${hash}.json`]);
    expect(await metaFiles("thumbnails")).toEqual([`${hash}-1x1.png`]);

    await store.delete("a.gcode");
    expect((await store.get("copies/b.gcode")).analysis.status).toBe("ready");
    await store.delete("copies", { recursive: true });
    expect(await metaFiles("analysis")).toEqual([]);
    expect(await metaFiles("thumbnails")).toEqual([]);
  });

  it("drops the old record when a file is overwritten with new content", async () => {
    const store = await box.store();
    await store.save("x.gcode", body(CUBE_GCODE));
    await store.waitForAnalysis("x.gcode");
    await store.save("x.gcode", body("G28\n"), { overwrite: true });
    await store.waitForAnalysis("x.gcode");
    expect(await metaFiles("analysis")).toEqual([`${sha256("G28\n")}.json`]);
  });

  it("finds and analyses a file copied into the folder by hand", async () => {
    const store = await box.store();
    await writeFile(join(box.root, "manual.gcode"), CUBE_GCODE);
    const [listed] = await store.list();
    expect(listed).toMatchObject({ path: "manual.gcode", hash: sha256(CUBE_GCODE) });
    expect((await store.waitForAnalysis("manual.gcode")).analysis.status).toBe("ready");
  });
});

describe("FileStore restart", () => {
  async function populate() {
    const store = await box.store();
    await store.save("cube.gcode", body(thumbnailBlock(solidPng(1, 1, [1, 2, 3]), 1, 1) + CUBE_GCODE));
    await store.save("parts/arm.gcode.gz", body(ARM_GZ));
    await store.createFolder("empty");
    await store.waitForAnalysis("cube.gcode");
    await store.waitForAnalysis("parts/arm.gcode.gz");
    const listing = await store.list(undefined, { recursive: true });
    await store.stop();
    return listing;
  }

  it("sees the same files and metadata without analysing again", async () => {
    const before = await populate();
    const analyze = vi.fn(analyzeGcodeFile);
    const again = await box.store({ analyze });
    expect(await again.list(undefined, { recursive: true })).toEqual(before);
    expect(analyze).not.toHaveBeenCalled();
  });

  it("rebuilds a lost index by hashing, and keeps the metadata keyed by hash", async () => {
    const before = await populate();
    await rm(join(box.root, META, "index.json"));
    const analyze = vi.fn(analyzeGcodeFile);
    const again = await box.store({ analyze });
    expect(await again.list(undefined, { recursive: true })).toEqual(before);
    expect(analyze).not.toHaveBeenCalled();
  });

  it("removes temp files a crash left behind", async () => {
    await populate();
    await writeFile(join(box.root, META, "tmp", "0a1b.part"), "half an upload");
    await box.store();
    expect(await tempFiles(box.root)).toEqual([]);
  });

  it("forgets files deleted while it was stopped, with their metadata", async () => {
    await populate();
    await rm(join(box.root, "cube.gcode"));
    const again = await box.store();
    expect((await again.list(undefined, { recursive: true })).map((e) => e.path)).toEqual([
      "empty",
      "parts",
      "parts/arm.gcode.gz",
    ]);
    expect(await metaFiles("thumbnails")).toEqual([]);
    expect(await metaFiles("analysis")).toEqual([`${sha256(ARM_GZ)}.json`]);
  });
});

describe("FileStore damaged metadata", () => {
  it.each([
    ["not JSON", "{"],
    ["JSON null", "null"],
    ["another hash", JSON.stringify({ version: 1, hash: "0".repeat(64), status: "failed", error: "x" })],
    [
      "a thumbnail path outside the metadata folder",
      (hash: string) =>
        JSON.stringify({
          version: 1,
          hash,
          status: "ready",
          analyzedAt: "2024-01-01T00:00:00.000Z",
          analysis: {
            thumbnails: [{ width: 1, height: 1, format: "png", bytes: 1, file: "../../../x.png" }],
          },
        }),
    ],
  ])("analyses again when a sidecar holds %s", async (_label, content) => {
    const store = await box.store();
    await store.save("x.gcode", body(CUBE_GCODE));
    await store.waitForAnalysis("x.gcode");
    await store.stop();
    const hash = sha256(CUBE_GCODE);
    const sidecar = join(box.root, META, "analysis", `${hash}.json`);
    await writeFile(sidecar, typeof content === "string" ? content : content(hash));
    const analyze = vi.fn(analyzeGcodeFile);
    const again = await box.store({ analyze });
    const entry = await again.waitForAnalysis("x.gcode");
    expect(entry.analysis.status).toBe("ready");
    expect(analyze).toHaveBeenCalledTimes(1);
  });
});
