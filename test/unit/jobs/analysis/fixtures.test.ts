import { execSync } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { analyzeGcodeFile } from "../../../../server/jobs/analysis/analyze-file.ts";
import { loadFirmwareProfile } from "../../../../server/printer/firmware-profile.ts";

const FIXTURES = resolve(import.meta.dirname, "../../../../../shared/fixtures/gcode");

/** The slicer's own figures, from `../shared/fixtures/gcode/README.md`. */
const CASES = [
  { file: "cube20_mk3s_0.20mm_prusaslicer-2.5.0.gcode", seconds: 29 * 60 + 43, filament: 1298.39, maxZ: 20 },
  {
    file: "vase-spiral_mk3s_0.20mm_prusaslicer-2.5.0.gcode.gz",
    seconds: 2 * 3600 + 43 * 60 + 5,
    filament: 6121.54,
    maxZ: 120,
  },
  {
    file: "twisted-star_mk3s_0.15mm_prusaslicer-2.5.0.gcode.gz",
    seconds: 3 * 3600 + 28 * 60 + 51,
    filament: 7558.14,
    maxZ: 57.05,
  },
];

const MK3 = loadFirmwareProfile("prusa-mk3");

/** `grep -c ';LAYER_CHANGE'` on the (decompressed) file. */
function layerChangeCount(path: string): number {
  const cat = path.endsWith(".gz") ? "zcat" : "cat";
  return Number(execSync(`${cat} '${path}' | grep -c ';LAYER_CHANGE'`, { encoding: "utf8" }).trim());
}

describe("analyzeGcodeFile on the PrusaSlicer 2.5 fixtures", () => {
  for (const c of CASES) {
    it(`${c.file}: layers, filament, estimate, metadata`, async () => {
      const path = resolve(FIXTURES, c.file);
      const a = await analyzeGcodeFile(path);

      expect(a.layers).toBe(layerChangeCount(path));
      expect(a.layerIndex).toHaveLength(a.layers);
      expect(a.layerIndex[0]).toMatchObject({ index: 0, z: 0.2, height: 0.2 });
      // Layer start times rise with the layers and stay inside the whole estimate.
      const starts = a.layerIndex.map((l) => l.startSeconds);
      expect(starts.every((t, i) => i === 0 || t >= (starts[i - 1] as number))).toBe(true);
      expect(starts[0]).toBeGreaterThan(0);
      expect(starts.at(-1)).toBeLessThan(a.estimatedSeconds);

      const filament = a.filamentMm[0] ?? 0;
      const filamentError = Math.abs(filament - c.filament) / c.filament;
      expect(filamentError).toBeLessThan(0.01);

      const estimateError = (a.estimatedSeconds - c.seconds) / c.seconds;
      console.log(
        `${c.file}: layers ${a.layers}; filament ${filament.toFixed(2)} mm vs ${c.filament} (${(filamentError * 100).toFixed(3)} %);` +
          ` estimate ${a.estimatedSeconds.toFixed(1)} s vs ${c.seconds} s (${(estimateError * 100).toFixed(3)} %)`,
      );
      // Achieved: 0.03 %, 0.01 %, 0.39 %; asserted at 1 %, well inside the 5 % goal.
      expect(Math.abs(estimateError)).toBeLessThan(0.01);
      // The file sets every limit itself, so the MK3 profile's defaults change nothing but the heat-up:
      // the 60 °C bed wait at 0.3 °C/s, by which time the hotend has reached 215 °C.
      const mk3 = await analyzeGcodeFile(path, { motion: MK3.motion });
      expect(mk3.estimatedSeconds).toBe(a.estimatedSeconds);
      expect(mk3.heatUpSeconds).toBeCloseTo(35 / 0.3, 9);
      expect(mk3.totalSeconds).toBe(mk3.estimatedSeconds + mk3.heatUpSeconds);

      expect(a.slicer.generator).toBe("PrusaSlicer 2.5.0");
      expect(a.slicer.estimatedSeconds).toBe(c.seconds);
      expect(a.slicer.filamentMm).toEqual([c.filament]);
      expect(a.slicer.hasM73).toBe(true);
      // Only the vase was sliced in spiral vase mode (its trailing config: `; spiral_vase = 1`).
      expect(a.slicer.spiralVase).toBe(c.file.startsWith("vase-spiral"));
      expect(a.thumbnails).toEqual([]);
      expect(a.boundingBox?.maxZ).toBeCloseTo(c.maxZ, 6);
      // The purge line of the start G-code runs along Y = -3 from X 0 to 100.
      expect(a.boundingBox?.minY).toBe(-3);
      expect(a.objectBoundingBox?.minY).toBeGreaterThan(50);
      expect(a.longestLine.length).toBeGreaterThan(20);
      expect(a.longestLine.length).toBeLessThan(100);
    });
  }

  it("the cube's line and byte totals match the README, and layer offsets point at ;LAYER_CHANGE", async () => {
    const a = await analyzeGcodeFile(resolve(FIXTURES, CASES[0]?.file ?? ""));
    expect(a.lines).toBe(25_918);
    expect(a.bytes).toBe(672_986);
    const { readFile } = await import("node:fs/promises");
    const bytes = await readFile(resolve(FIXTURES, CASES[0]?.file ?? ""));
    for (const layer of a.layerIndex) {
      expect(bytes.subarray(layer.byteOffset, layer.byteOffset + 13).toString()).toBe(";LAYER_CHANGE");
    }
  });

  it("rejects a missing file", async () => {
    await expect(analyzeGcodeFile(resolve(FIXTURES, "missing.gcode"))).rejects.toThrow(/ENOENT/);
  });
});
