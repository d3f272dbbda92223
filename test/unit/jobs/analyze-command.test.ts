import { resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runAnalyzeCommand } from "../../../server/cli/analyze-command.ts";
import { isHostError } from "../../../server/util/errors.ts";

const CUBE = resolve(
  import.meta.dirname,
  "../../../../shared/fixtures/gcode/cube20_mk3s_0.20mm_prusaslicer-2.5.0.gcode",
);

describe("layerwatch analyze", () => {
  it("prints one JSON object and exits 0", async () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    try {
      expect(await runAnalyzeCommand([CUBE])).toBe(0);
      expect(log).toHaveBeenCalledTimes(1);
      const out = JSON.parse(String(log.mock.calls[0]?.[0]));
      expect(out.layers).toBe(100);
      expect(out.layerIndex).toHaveLength(100);
      expect(out.estimatedSeconds).toBeGreaterThan(1700);
      expect(out.filamentMm).toHaveLength(1);
      expect(out.boundingBox.maxZ).toBe(20);
      expect(out.longestLine.lineNumber).toBeGreaterThan(0);
      expect(out.slicer.estimatedSeconds).toBe(1783);
      expect(out.thumbnails).toEqual([]);
    } finally {
      log.mockRestore();
    }
  });

  it("reports a missing file on stderr and exits 1", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect(await runAnalyzeCommand(["/nonexistent/x.gcode"])).toBe(1);
      expect(String(error.mock.calls[0]?.[0])).toMatch(/cannot read '\/nonexistent\/x\.gcode'/);
    } finally {
      error.mockRestore();
    }
  });

  it("throws a USAGE error without exactly one FILE", async () => {
    await expect(runAnalyzeCommand([])).rejects.toSatisfy((err) => isHostError(err, "USAGE"));
    await expect(runAnalyzeCommand(["a", "b"])).rejects.toSatisfy((err) => isHostError(err, "USAGE"));
    await expect(runAnalyzeCommand(["--bogus", "a"])).rejects.toSatisfy((err) => isHostError(err, "USAGE"));
  });
});
