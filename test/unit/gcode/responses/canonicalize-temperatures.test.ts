import { describe, expect, it } from "vitest";
import { canonicalizeTemperatures } from "../../../../server/gcode/responses/parse-response.ts";
import type { TemperatureReport } from "../../../../server/gcode/responses/types.ts";

describe("canonicalizeTemperatures", () => {
  it("moves a lone T to the current tool (Marlin single extruder, M109 progress)", () => {
    const report: TemperatureReport = {
      T: { actual: 185.3, target: 210, power: 127 },
      B: { actual: 59.6, target: 60, power: 0 },
    };
    expect(canonicalizeTemperatures(report, 0)).toEqual({
      T0: { actual: 185.3, target: 210, power: 127 },
      B: { actual: 59.6, target: 60, power: 0 },
    });
    expect(canonicalizeTemperatures({ T: { actual: 200, target: 200 } }, 1)).toEqual({
      T1: { actual: 200, target: 200 },
    });
  });

  it("drops T when T0 is present and the current tool is reported (Marlin multi-extruder)", () => {
    const report: TemperatureReport = {
      T: { actual: 210, target: 210, power: 127 },
      T0: { actual: 210, target: 210, power: 127 },
      T1: { actual: 25.3, target: 0, power: 0 },
      B: { actual: 60, target: 60, power: 0 },
    };
    expect(canonicalizeTemperatures(report, 0)).toEqual({
      T0: { actual: 210, target: 210, power: 127 },
      T1: { actual: 25.3, target: 0, power: 0 },
      B: { actual: 60, target: 60, power: 0 },
    });
  });

  it("trusts T<current> over T but gives it T's power (Prusa-Firmware)", () => {
    const report: TemperatureReport = {
      T: { actual: 215, target: 215, power: 45 },
      B: { actual: 60, target: 60, power: 21 },
      T0: { actual: 214, target: 215 },
      P: { actual: 35.9, target: null },
    };
    expect(canonicalizeTemperatures(report, 0)).toEqual({
      T0: { actual: 214, target: 215, power: 45 },
      B: { actual: 60, target: 60, power: 21 },
      P: { actual: 35.9, target: null },
    });
  });

  it("copies T to the current tool when only other numbered tools are reported", () => {
    const report: TemperatureReport = {
      T: { actual: 230, target: 230 },
      T0: { actual: 25, target: 0 },
    };
    expect(canonicalizeTemperatures(report, 2)).toEqual({
      T0: { actual: 25, target: 0 },
      T2: { actual: 230, target: 230 },
    });
  });

  it("turns T into T0 when T1 is present without T0 (Smoothieware)", () => {
    const report: TemperatureReport = {
      T: { actual: 210, target: 210, power: 127 },
      T1: { actual: 25, target: 0, power: 0 },
      B: { actual: 60, target: 60, power: 64 },
    };
    expect(canonicalizeTemperatures(report, 1)).toEqual({
      T0: { actual: 210, target: 210, power: 127 },
      T1: { actual: 25, target: 0, power: 0 },
      B: { actual: 60, target: 60, power: 64 },
    });
  });

  it("leaves reports without T unchanged (Klipper) and never mutates the input", () => {
    const report: TemperatureReport = { B: { actual: 60, target: 60 }, T0: { actual: 210, target: 210 } };
    const before = structuredClone(report);
    const result = canonicalizeTemperatures(report, 0);
    expect(result).toEqual(before);
    expect(result).not.toBe(report);
    const withT: TemperatureReport = {
      T: { actual: 1, target: null },
      T0: { actual: 2, target: null, power: 3 },
    };
    canonicalizeTemperatures(withT, 0);
    expect(withT).toEqual({ T: { actual: 1, target: null }, T0: { actual: 2, target: null, power: 3 } });
  });
});
