import { describe, expect, it } from "vitest";
import { parseHalted } from "../../../../server/gcode/responses/halted.ts";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import type { Response } from "../../../../server/gcode/responses/types.ts";

function expectBoth(line: string, expected: Response): void {
  expect(parseHalted(line.trim())).toEqual(expected);
  expect(parseResponse(line)).toEqual(expected);
}

describe("parseHalted", () => {
  it("reads Marlin kill() with and without the error prefix", () => {
    expectBoth("Error:Printer halted. kill() called!", {
      kind: "halted",
      message: "Printer halted. kill() called!",
    });
    expectBoth("Printer halted. kill() called!", {
      kind: "halted",
      message: "Printer halted. kill() called!",
    });
    expectBoth("Error:Printer halted. kill() called!\r", {
      kind: "halted",
      message: "Printer halted. kill() called!",
    });
  });

  it("reads Klipper shutdown lines", () => {
    expectBoth("!! Shutdown due to M112 command", {
      kind: "halted",
      message: "Shutdown due to M112 command",
    });
    expectBoth("!! MCU 'mcu' shutdown: Timer too close", {
      kind: "halted",
      message: "MCU 'mcu' shutdown: Timer too close",
    });
    expectBoth("!! Lost communication with MCU 'mcu'", {
      kind: "halted",
      message: "Lost communication with MCU 'mcu'",
    });
    expectBoth("// Klipper state: Shutdown", { kind: "halted", message: "Klipper state: Shutdown" });
  });

  it("leaves other errors and Klipper states alone", () => {
    expect(parseHalted("!! Must home axis first: 20.000 20.000 0.400 [0.000]")).toBeNull();
    expect(parseHalted("Error:Thermal Runaway, system stopped! Heater_ID: 0")).toBeNull();
    expect(parseHalted("// Klipper state: Ready")).toBeNull();
    expect(parseHalted("Printer stopped due to errors.")).toBeNull();
    expect(parseResponse("// Klipper state: Ready")).toEqual({
      kind: "other",
      line: "// Klipper state: Ready",
    });
  });
});
