import { describe, expect, it } from "vitest";
import { analyzeGcodeText } from "../../../../server/jobs/analysis/gcode-analyzer.ts";
import { MotionPlanner, trapezoidTime } from "../../../../server/jobs/analysis/motion-planner.ts";

const LIMITS = [
  "M201 X1000 Y1000 Z200 E5000",
  "M203 X200 Y200 Z12 E120",
  "M204 P1000 R1000 T1000",
  "M205 X10 Y10 Z0.4 E4.5",
];
const run = (...l: string[]): number =>
  analyzeGcodeText(`${[...LIMITS, ...l].join("\n")}\n`).estimatedSeconds;

describe("trapezoidTime", () => {
  it("accelerates, cruises and decelerates", () => {
    // 10 → 100 mm/s at 1000 mm/s² takes 0.09 s over 4.95 mm, both ways; 90.1 mm cruise at 100 mm/s.
    expect(trapezoidTime(100, 1000, 10, 100, 10)).toBeCloseTo(0.18 + 0.901, 9);
  });

  it("peaks below cruise on a short move", () => {
    // From rest to rest over 1 mm at 1000 mm/s²: peak sqrt(1000) mm/s, time 2·sqrt(1/1000).
    expect(trapezoidTime(1, 1000, 0, 100, 0)).toBeCloseTo(2 * Math.sqrt(0.001), 9);
  });
});

describe("MotionPlanner through the analyser", () => {
  it("times one isolated move from and to the jerk-safe speed", () => {
    expect(run("G1 X100 F6000")).toBeCloseTo(0.18 + 0.901, 6);
  });

  it("caps feedrate by M203 and acceleration by M201 on the axis", () => {
    // Z: 12 mm/s max, 200 mm/s² max, jerk 0.4 mm/s: 0.05795 s ramp each way over 0.347 mm.
    const accel = (12 * 12 - 0.4 * 0.4) / (2 * 200);
    const expected = 2 * ((12 - 0.4) / 200) + (10 - 2 * accel) / 12;
    expect(run("G1 Z10 F6000")).toBeCloseTo(expected, 6);
  });

  it("runs a straight line split in two segments at full speed through the junction", () => {
    expect(run("G1 X50 F6000", "G1 X100")).toBeCloseTo(run("G1 X100 F6000"), 6);
  });

  it("slows down at a 90° corner", () => {
    const straight = run("G1 X50 F6000", "G1 X100");
    const corner = run("G1 X50 F6000", "G1 X50 Y50");
    expect(corner).toBeGreaterThan(straight + 0.05);
  });

  it("junction deviation (M205 J) permits faster corners than a small jerk", () => {
    const jerk = run("M205 X1 Y1", "G1 X50 F6000", "G1 X50 Y50", "G1 X0 Y50", "G1 X0 Y0");
    const jd = run("M205 X1 Y1 J0.05", "G1 X50 F6000", "G1 X50 Y50", "G1 X0 Y50", "G1 X0 Y0");
    expect(jd).toBeLessThan(jerk);
  });

  it("adds G4 dwells (P ms, S s) and nothing for heat-up waits", () => {
    expect(run("G4 P500", "G4 S2", "M109 S215", "M190 S60")).toBeCloseTo(2.5, 9);
  });

  it("uses the retract acceleration for E-only moves", () => {
    const slow = run("M204 R100", "G1 E-5 F3000");
    const fast = run("M204 R1000", "G1 E-5 F3000");
    expect(slow).toBeGreaterThan(fast);
  });

  it("keeps a bounded queue over many moves", () => {
    const planner = new MotionPlanner();
    for (let i = 0; i < 10_000; i++) planner.move(i % 2 === 0 ? [10, 0, 0, 0.5] : [-10, 0, 0, 0.5], 50);
    planner.flush();
    expect(planner.elapsed).toBeGreaterThan(10_000 * (10 / 50));
  });
});
