import { describe, expect, it } from "vitest";
import { DEFAULT_MOTION } from "../../../../server/jobs/analysis/analysis-options.ts";
import { analyzeGcodeText } from "../../../../server/jobs/analysis/gcode-analyzer.ts";

/** Hotend 2 °C/s, bed 0.5 °C/s. */
const motion = { ...DEFAULT_MOTION, heating: { hotendDegPerSecond: 2, bedDegPerSecond: 0.5 } };
const heatUp = (...lines: string[]): number =>
  analyzeGcodeText(`${lines.join("\n")}\n`, { motion }).heatUpSeconds;

describe("heatUpSeconds", () => {
  it("times a wait from 25 °C at the profile's rate; setting a target alone takes no time", () => {
    expect(heatUp("M104 S215", "M140 S60")).toBe(0);
    expect(heatUp("M109 S215")).toBeCloseTo(190 / 2, 9);
    expect(heatUp("M190 S60")).toBeCloseTo(35 / 0.5, 9);
  });

  it("heats in parallel: the hotend set before the bed wait is hot when M109 asks", () => {
    // PrusaSlicer's MK3S start G-code; the bed wait (70 s) covers the hotend's 95 s only in part.
    expect(heatUp("M104 S215", "M140 S60", "M190 S60", "M109 S215")).toBeCloseTo(95, 9);
    expect(heatUp("M104 S170", "M140 S60", "M190 S60", "M109 S215")).toBeCloseTo(70 + (215 - 165) / 2, 9);
  });

  it("counts moves between setting and waiting as heating time", () => {
    const moves = ["G1 X100 F1200", "G1 X0"]; // 10 s of travel and the ramps
    const a = analyzeGcodeText(`${["M104 S215", ...moves, "M109 S215"].join("\n")}\n`, { motion });
    expect(a.estimatedSeconds).toBeGreaterThan(10);
    expect(a.heatUpSeconds).toBeCloseTo(95 - a.estimatedSeconds, 1);
    expect(a.totalSeconds).toBeCloseTo(95, 1);
  });

  it("keeps each hotend (T word or current tool) and the bed apart", () => {
    expect(heatUp("M104 T1 S200", "M109 T0 S200")).toBeCloseTo(175 / 2, 9);
    expect(heatUp("T1", "M104 S200", "M109 T1 S200")).toBeCloseTo(175 / 2, 9);
    expect(heatUp("M109 S200", "M109 S200")).toBeCloseTo(175 / 2, 9);
  });

  it("waits for the current target without S, and not at all for cooling (R below the temperature)", () => {
    expect(heatUp("M104 S100", "M109")).toBeCloseTo(75 / 2, 9);
    expect(heatUp("M109 S215", "M104 S0", "M109 R150")).toBeCloseTo(95, 9);
  });

  it("is 0 for a file without waits and adds to estimatedSeconds in totalSeconds", () => {
    const a = analyzeGcodeText("G1 X10 F600\n", { motion });
    expect(a.heatUpSeconds).toBe(0);
    expect(a.totalSeconds).toBe(a.estimatedSeconds);
  });
});
