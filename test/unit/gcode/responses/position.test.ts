import { describe, expect, it } from "vitest";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import { parsePosition } from "../../../../server/gcode/responses/position.ts";
import type { Response } from "../../../../server/gcode/responses/types.ts";

function expectBoth(line: string, expected: Response): void {
  expect(parsePosition(line.trim())).toEqual(expected);
  expect(parseResponse(line)).toEqual(expected);
}

describe("parsePosition", () => {
  it("reads Marlin M114 and ignores the Count part", () => {
    expectBoth("X:10.00 Y:20.00 Z:0.30 E:1.50 Count X:800 Y:1600 Z:120", {
      kind: "position",
      x: 10,
      y: 20,
      z: 0.3,
      e: [1.5],
    });
  });

  it("reads Prusa-Firmware M114", () => {
    expectBoth("X:0.00 Y:0.00 Z:0.15 E:0.00 Count X: 0.00 Y:0.00 Z:0.15 E:0.00", {
      kind: "position",
      x: 0,
      y: 0,
      z: 0.15,
      e: [0],
    });
  });

  it("reads per-extruder positions", () => {
    expectBoth("X:0.00 Y:0.00 Z:0.00 E0:1.00 E1:2.00", { kind: "position", x: 0, y: 0, z: 0, e: [1, 2] });
  });

  it("reads RepRapFirmware M114, preferring the E<n>: drives over the virtual E:", () => {
    expectBoth(
      "X:0.000 Y:0.000 Z:0.000 E:0.000 E0:-0.0 Count 0 0 0 Machine 0.000 0.000 0.000 Bed comp 0.000",
      {
        kind: "position",
        x: 0,
        y: 0,
        z: 0,
        e: [0],
      },
    );
    expectBoth(
      "X:12.500 Y:-3.250 Z:1.000 E:5.000 E0:2.0 E1:3.0 Count 1000 -260 400 Machine 12.500 -3.250 1.000",
      {
        kind: "position",
        x: 12.5,
        y: -3.25,
        z: 1,
        e: [2, 3],
      },
    );
  });

  it("reads Klipper M114", () => {
    expectBoth("X:0.000 Y:0.000 Z:0.000 E:0.000", { kind: "position", x: 0, y: 0, z: 0, e: [0] });
  });

  it("leaves M114 D detail lines and other text alone", () => {
    expect(parsePosition("Logical: X: 0.00 Y: 0.00 Z: 0.00 E: 0.00")).toBeNull();
    expect(parsePosition("X:abc Y:1 Z:2 E:3")).toBeNull();
    expect(parsePosition("x_min: open")).toBeNull();
  });
});
