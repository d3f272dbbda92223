import { describe, expect, it } from "vitest";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import {
  isTemperatureLine,
  parseTemperature,
  parseTemperatureReport,
} from "../../../../server/gcode/responses/temperature.ts";
import type { Response } from "../../../../server/gcode/responses/types.ts";

function expectBoth(line: string, expected: Response): void {
  expect(parseTemperature(line.trim())).toEqual(expected);
  expect(parseResponse(line)).toEqual(expected);
}

describe("parseTemperature", () => {
  it("reads Marlin auto-report", () => {
    expectBoth(" T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0", {
      kind: "temperature",
      temperatures: {
        T: { actual: 210, target: 210, power: 127 },
        B: { actual: 60, target: 60, power: 0 },
      },
    });
  });

  it("reads Marlin multi-extruder reports with per-tool power", () => {
    expectBoth(" T:210.0 /210.0 T0:210.0 /210.0 T1:25.3 /0.0 B:60.0 /60.0 @:127 B@:0 @0:127 @1:0", {
      kind: "temperature",
      temperatures: {
        T: { actual: 210, target: 210, power: 127 },
        T0: { actual: 210, target: 210, power: 127 },
        T1: { actual: 25.3, target: 0, power: 0 },
        B: { actual: 60, target: 60, power: 0 },
      },
    });
  });

  it("reads a Marlin heated chamber", () => {
    expectBoth(" T:210.0 /210.0 B:60.0 /60.0 C:35.0 /40.0 @:127 B@:0 C@:0", {
      kind: "temperature",
      temperatures: {
        T: { actual: 210, target: 210, power: 127 },
        B: { actual: 60, target: 60, power: 0 },
        C: { actual: 35, target: 40, power: 0 },
      },
    });
  });

  it("reads Marlin M109 progress without taking E: or W: for sensors", () => {
    expectBoth(" T:183.43 E:0 W:?", {
      kind: "temperature",
      temperatures: { T: { actual: 183.43, target: null } },
    });
    expectBoth(" T:185.3 /210.0 B:59.6 /60.0 @:127 B@:0 W:3", {
      kind: "temperature",
      temperatures: {
        T: { actual: 185.3, target: 210, power: 127 },
        B: { actual: 59.6, target: 60, power: 0 },
      },
    });
  });

  it("reads Prusa-Firmware PINDA and ambient sensors", () => {
    expectBoth("T:215.0 /215.0 B:60.0 /60.0 T0:215.0 /215.0 @:45 B@:21 P:35.9 A:40.1", {
      kind: "temperature",
      temperatures: {
        T: { actual: 215, target: 215, power: 45 },
        B: { actual: 60, target: 60, power: 21 },
        T0: { actual: 215, target: 215 },
        P: { actual: 35.9, target: null },
        A: { actual: 40.1, target: null },
      },
    });
  });

  it("reads Repetier M105", () => {
    expectBoth("T:25.00 /0 B:24.50 /0 B@:0 @:0", {
      kind: "temperature",
      temperatures: { T: { actual: 25, target: 0, power: 0 }, B: { actual: 24.5, target: 0, power: 0 } },
    });
  });

  it("reads Smoothieware multi-tool reports (`@<pwm>` belongs to the heater before it)", () => {
    expectBoth("T:210.0 /210.0 @127 T1:25.0 /0.0 @0 B:60.0 /60.0 @64", {
      kind: "temperature",
      temperatures: {
        T: { actual: 210, target: 210, power: 127 },
        T1: { actual: 25, target: 0, power: 0 },
        B: { actual: 60, target: 60, power: 64 },
      },
    });
  });

  it("reads negative values and the first occurrence of a sensor", () => {
    expectBoth("T:-15.2 /0.0 B:21.0 /0.0 T:99.0 /99.0", {
      kind: "temperature",
      temperatures: { T: { actual: -15.2, target: 0 }, B: { actual: 21, target: 0 } },
    });
  });

  it("leaves Repetier target-only lines to `other`", () => {
    expect(parseTemperature("TargetExtr0:210")).toBeNull();
    expect(parseResponse("TargetExtr0:210")).toEqual({ kind: "other", line: "TargetExtr0:210" });
    expect(parseResponse("TargetBed:60")).toEqual({ kind: "other", line: "TargetBed:60" });
  });

  it("rejects lines without a readable sensor", () => {
    expect(parseTemperature("T:abc")).toBeNull();
    expect(parseResponse("T:abc")).toEqual({ kind: "other", line: "T:abc" });
    expect(parseTemperature("B:")).toBeNull();
    expect(parseTemperature("@:127 B@:0")).toBeNull();
    expect(parseTemperature("PlannerBufferBytes: 1312")).toBeNull();
  });
});

describe("isTemperatureLine / parseTemperatureReport", () => {
  it("needs T:, T<n>: or B: as a word", () => {
    expect(isTemperatureLine("T:1")).toBe(true);
    expect(isTemperatureLine("ok B:60.0 /60.0 T0:210.0 /210.0")).toBe(true);
    expect(isTemperatureLine("T1:25.0")).toBe(true);
    expect(isTemperatureLine("P:35.9 A:40.1")).toBe(false);
    expect(isTemperatureLine("AT:1")).toBe(false);
  });

  it("returns null when no sensor parses", () => {
    expect(parseTemperatureReport("E:0 W:?")).toBeNull();
    expect(parseTemperatureReport("")).toBeNull();
  });
});
