import { describe, expect, it } from "vitest";
import {
  applyCommand,
  initialModalState,
  type ModalState,
} from "../../../../server/jobs/control/modal-state.ts";

function run(...commands: string[]): ModalState {
  const state = initialModalState();
  for (const command of commands) applyCommand(state, command);
  return state;
}

describe("modal state", () => {
  it("follows absolute and relative moves", () => {
    expect(run("G1 X10 Y20 Z0.2", "G91", "G1 X5 Z1", "G90", "G1 Y3")).toMatchObject({ x: 15, y: 3, z: 1.2 });
  });

  it("G90/G91 set E's mode as Marlin does, M82/M83 override it", () => {
    expect(run("G91").relativeE).toBe(true);
    expect(run("G91", "M82").relativeE).toBe(false);
    expect(run("M83", "G90").relativeE).toBe(false);
    expect(run("G90", "M83").relativeE).toBe(true);
  });

  it("tracks E through relative extrusion and G92 resets", () => {
    expect(run("M83", "G1 X1 E0.5", "G1 X2 E0.25").e).toBeCloseTo(0.75);
    expect(run("M82", "G1 X1 E5", "G92 E0", "G1 X2 E1.5").e).toBeCloseTo(1.5);
    expect(run("G1 X3 Y4 Z5 E6", "G92")).toMatchObject({ x: 0, y: 0, z: 0, e: 0 });
  });

  it("keeps the last feedrate, fans, tool and heater targets", () => {
    const state = run(
      "G1 X1 F1800",
      "G1 X2",
      "M106 S128",
      "M106 P1 S255",
      "M107 P1",
      "T1",
      "M104 S215",
      "M109 T0 S210",
      "M140 S60",
      "M190 S65",
      "M141 S40",
    );
    expect(state).toMatchObject({
      feedrate: 1800,
      fans: { 0: 128, 1: 0 },
      tool: 1,
      hotendTargets: { 0: 210, 1: 215 },
      bedTarget: 65,
      chamberTarget: 40,
    });
  });

  it("homes the named axes, or all of them", () => {
    expect(run("G1 X5 Y5 Z5", "G28 X Y")).toMatchObject({ x: 0, y: 0, z: 5 });
    expect(run("G1 X5 Y5 Z5", "G28")).toMatchObject({ x: 0, y: 0, z: 0 });
    expect(run("G1 X5 Y5 Z5", "G28 W")).toMatchObject({ x: 0, y: 0, z: 0 });
  });

  it("ignores what it does not model", () => {
    const before = run("G1 X1");
    expect(run("G1 X1", "M117 hello", "M73 P10 R20", "G4 S1")).toEqual(before);
  });
});
