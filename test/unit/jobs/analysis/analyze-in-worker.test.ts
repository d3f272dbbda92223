import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { analyzeGcodeFile } from "../../../../server/jobs/analysis/analyze-file.ts";
import {
  AnalysisWorkerPool,
  analyzeInWorker,
  closeAnalysisWorker,
} from "../../../../server/jobs/analysis/analyze-in-worker.ts";
import { loadFirmwareProfile } from "../../../../server/printer/firmware-profile.ts";
import { HostError } from "../../../../server/util/errors.ts";
import { solidPng } from "./png.ts";

const FIXTURES = resolve(import.meta.dirname, "../../../../../shared/fixtures/gcode");
const CUBE = join(FIXTURES, "cube20_mk3s_0.20mm_prusaslicer-2.5.0.gcode");
const VASE = join(FIXTURES, "vase-spiral_mk3s_0.20mm_prusaslicer-2.5.0.gcode.gz");
const dir = mkdtempSync(join(tmpdir(), "layerwatch-analysis-worker-"));

afterAll(async () => {
  await closeAnalysisWorker();
  rmSync(dir, { recursive: true, force: true });
});

async function hostErrorOf(promise: Promise<unknown>): Promise<HostError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(HostError);
  return err as HostError;
}

describe("analyzeInWorker", () => {
  it("gives the same analysis as the in-thread analyser, gzip included", async () => {
    expect(await analyzeInWorker(CUBE)).toEqual(await analyzeGcodeFile(CUBE));
    const vase = await analyzeInWorker(VASE);
    expect(vase.bytes).toBe(7_149_406);
    expect(vase.estimatedSeconds).toBeCloseTo((await analyzeGcodeFile(VASE)).estimatedSeconds, 9);
  });

  it("passes the options to the worker (a firmware profile's motion section)", async () => {
    const motion = loadFirmwareProfile("prusa-mk3").motion;
    const a = await analyzeInWorker(CUBE, { motion });
    // 60 °C bed from 25 °C at 0.3 °C/s; the hotend heats meanwhile and is at 215 °C by then.
    expect(a.heatUpSeconds).toBeCloseTo(35 / 0.3, 9);
    expect(a.totalSeconds).toBeCloseTo(a.estimatedSeconds + a.heatUpSeconds, 9);
  });

  it("hands thumbnails back as Buffers", async () => {
    const png = solidPng(2, 2, [10, 20, 30]);
    const b64 = png.toString("base64");
    const path = join(dir, "thumb.gcode");
    writeFileSync(path, `; thumbnail begin 2x2 ${b64.length}\n; ${b64}\n; thumbnail end\nG28\n`);
    const [thumbnail] = (await analyzeInWorker(path)).thumbnails;
    expect(Buffer.isBuffer(thumbnail?.data)).toBe(true);
    expect(thumbnail?.data.equals(png)).toBe(true);
    expect(thumbnail?.data.toString("base64")).toBe(b64);
  });

  it("rejects a missing file with NOT_FOUND naming it", async () => {
    const err = await hostErrorOf(analyzeInWorker(join(dir, "missing.gcode")));
    expect(err.code).toBe("NOT_FOUND");
    expect(err.message).toMatch(/missing\.gcode.*ENOENT/);
  });

  it("rejects a directory with STORAGE and a broken gzip with UNSUPPORTED_FILE", async () => {
    const folder = join(dir, "folder.gcode");
    mkdirSync(folder);
    expect((await hostErrorOf(analyzeInWorker(folder))).code).toBe("STORAGE");
    const broken = join(dir, "broken.gcode.gz");
    writeFileSync(broken, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
    const err = await hostErrorOf(analyzeInWorker(broken));
    expect(err.code).toBe("UNSUPPORTED_FILE");
    expect(err.message).toMatch(/broken\.gcode\.gz/);
  });

  it("analyses files one after another on one thread, kept while busy and stopped when idle or failed", async () => {
    const pool = new AnalysisWorkerPool(50);
    try {
      const [cube, vase] = await Promise.all([pool.analyze(CUBE), pool.analyze(VASE)]);
      expect(cube?.lines).toBe(25_918);
      expect(vase?.bytes).toBe(7_149_406);
      expect(pool.threads).toBe(1);
      await vi.waitFor(() => expect(pool.threads).toBe(0), { timeout: 5000 });
      const missing = pool.analyze(join(dir, "missing.gcode"));
      const after = pool.analyze(CUBE);
      expect((await hostErrorOf(missing)).code).toBe("NOT_FOUND");
      expect((await after).lines).toBe(25_918);
    } finally {
      await pool.close();
    }
    expect(pool.threads).toBe(0);
  });

  it("rejects what is still queued when the pool closes", async () => {
    const pool = new AnalysisWorkerPool();
    const errors = Promise.all([hostErrorOf(pool.analyze(VASE)), hostErrorOf(pool.analyze(CUBE))]);
    await pool.close();
    for (const err of await errors) expect(err.message).toMatch(/the analysis pool closed/);
    expect(pool.threads).toBe(0);
  });
});
