import { resolve } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runAnalyzeCommand } from "../../../server/cli/analyze-command.ts";
import { isHostError } from "../../../server/util/errors.ts";

const CUBE = resolve(
  import.meta.dirname,
  "../../../../shared/fixtures/gcode/cube20_mk3s_0.20mm_prusaslicer-2.5.0.gcode",
);

/** Runs the command with console.log captured; returns the exit code and the one JSON object printed. */
async function analyze(argv: string[]): Promise<{ code: number; out: Record<string, unknown> }> {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  try {
    const code = await runAnalyzeCommand(argv);
    expect(log).toHaveBeenCalledTimes(1);
    return { code, out: JSON.parse(String(log.mock.calls[0]?.[0])) as Record<string, unknown> };
  } finally {
    log.mockRestore();
  }
}

describe("layerwatch analyze", () => {
  it("prints one JSON object and exits 0", async () => {
    const { code, out } = await analyze([CUBE]);
    expect(code).toBe(0);
    expect(out.layers).toBe(100);
    expect(out.layerIndex).toHaveLength(100);
    expect(out.estimatedSeconds).toBeGreaterThan(1700);
    // Marlin defaults: the 60 °C bed from 25 °C at 0.4 °C/s.
    expect(out.heatUpSeconds).toBeCloseTo(87.5, 6);
    expect(out.totalSeconds).toBeCloseTo((out.estimatedSeconds as number) + 87.5, 6);
    expect(out.filamentMm).toHaveLength(1);
    expect((out.boundingBox as { maxZ: number }).maxZ).toBe(20);
    expect((out.longestLine as { lineNumber: number }).lineNumber).toBeGreaterThan(0);
    expect((out.slicer as { estimatedSeconds: number }).estimatedSeconds).toBe(1783);
    expect(out.thumbnails).toEqual([]);
  });

  it("takes a firmware profile's motion defaults and heater rates with --profile", async () => {
    const { out } = await analyze(["--profile", "prusa-mk3", CUBE]);
    expect(out.heatUpSeconds).toBeCloseTo(35 / 0.3, 6);
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

  it("throws a USAGE error without exactly one FILE, or with an unknown option", async () => {
    await expect(runAnalyzeCommand([])).rejects.toSatisfy((err) => isHostError(err, "USAGE"));
    await expect(runAnalyzeCommand(["a", "b"])).rejects.toSatisfy((err) => isHostError(err, "USAGE"));
    await expect(runAnalyzeCommand(["--bogus", "a"])).rejects.toSatisfy((err) => isHostError(err, "USAGE"));
  });

  it("throws a CONFIG error for an unknown profile", async () => {
    await expect(runAnalyzeCommand(["--profile", "sailfish", CUBE])).rejects.toSatisfy((err) =>
      isHostError(err, "CONFIG"),
    );
  });
});
