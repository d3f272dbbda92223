import { describe, expect, it } from "vitest";
import { DEFAULT_MOTION } from "../../../../server/jobs/analysis/analysis-options.ts";
import { analyzeGcodeText } from "../../../../server/jobs/analysis/gcode-analyzer.ts";
import { loadFirmwareProfile, loadFirmwareProfiles } from "../../../../server/printer/firmware-profile.ts";

const estimate = (text: string, id?: string): number =>
  analyzeGcodeText(text, id === undefined ? {} : { motion: loadFirmwareProfile(id).motion }).estimatedSeconds;

describe("analysis options", () => {
  it("defaults to marlin-2.json's figures with classic jerk", () => {
    const marlin = loadFirmwareProfile("marlin-2").motion;
    expect(DEFAULT_MOTION).toEqual({ ...marlin, junctionDeviationMm: null });
  });

  it("starts from the profile's limits: a Z move at the MK3's 12 mm/s, not Marlin's 5", () => {
    const text = "G1 Z60 F6000\n";
    expect(estimate(text)).toBeGreaterThan(60 / 5);
    expect(estimate(text, "prusa-mk3")).toBeLessThan(60 / 12 + 0.2);
  });

  it("applies only the limit commands the profile lists", () => {
    const text = "M203 X20\nG1 X400 F12000\n";
    // Marlin applies M203 X20: 20 s at least. Klipper has no M203: the move runs at its F, 200 mm/s.
    expect(estimate(text)).toBeGreaterThan(20);
    expect(estimate(text, "klipper")).toBeLessThan(2.5);
  });

  it("uses junction deviation where the profile has it", () => {
    // A zig-zag: classic jerk (10 mm/s) and Marlin 2's 0.013 mm junction deviation time it differently.
    const zigzag = Array.from({ length: 40 }, (_, i) => `G1 X${i % 2 === 0 ? 10 : 0} Y${i} F6000`).join("\n");
    expect(estimate(`${zigzag}\n`, "marlin-2")).not.toBeCloseTo(estimate(`${zigzag}\n`), 3);
  });

  it("every shipped profile yields a finite estimate of the same moves", () => {
    const text = "M83\nG1 X50 Y50 F9000\nG1 X60 E1 F1800\nG1 E-0.8 F2100\nG1 Z5 F600\n";
    for (const profile of loadFirmwareProfiles()) {
      const seconds = analyzeGcodeText(text, { motion: profile.motion }).estimatedSeconds;
      expect(Number.isFinite(seconds) && seconds > 0, profile.id).toBe(true);
    }
  });
});
