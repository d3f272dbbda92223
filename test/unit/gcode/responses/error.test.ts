import { describe, expect, it } from "vitest";
import { classifyError, parseError } from "../../../../server/gcode/responses/error.ts";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import type { Response } from "../../../../server/gcode/responses/types.ts";

function expectBoth(line: string, expected: Response): void {
  expect(parseError(line.trim())).toEqual(expected);
  expect(parseResponse(line)).toEqual(expected);
}

describe("parseError", () => {
  it("classifies Marlin line errors that a resend follows", () => {
    expectBoth("Error:checksum mismatch, Last Line: 41", {
      kind: "error",
      errorClass: "resend",
      message: "checksum mismatch, Last Line: 41",
      lastLine: 41,
    });
    expectBoth("Error:Line Number is not Last Line Number+1, Last Line: 41", {
      kind: "error",
      errorClass: "resend",
      message: "Line Number is not Last Line Number+1, Last Line: 41",
      lastLine: 41,
    });
    expectBoth("Error:No Checksum with line number, Last Line: 41", {
      kind: "error",
      errorClass: "resend",
      message: "No Checksum with line number, Last Line: 41",
      lastLine: 41,
    });
  });

  it("classifies line errors without a resend as recoverable", () => {
    expectBoth("Error:No Line Number with checksum, Last Line: 41", {
      kind: "error",
      errorClass: "recoverable",
      message: "No Line Number with checksum, Last Line: 41",
      lastLine: 41,
    });
    expectBoth("Error:Missing linenumber", {
      kind: "error",
      errorClass: "recoverable",
      message: "Missing linenumber",
    });
  });

  it("classifies Marlin thermal errors as fatal", () => {
    expectBoth("Error:Thermal Runaway, system stopped! Heater_ID: 0", {
      kind: "error",
      errorClass: "fatal",
      message: "Thermal Runaway, system stopped! Heater_ID: 0",
    });
    expectBoth("Error:MAXTEMP triggered, system stopped! Heater_ID: E0", {
      kind: "error",
      errorClass: "fatal",
      message: "MAXTEMP triggered, system stopped! Heater_ID: E0",
    });
    expectBoth("Error:MINTEMP triggered, system stopped! Heater_ID: bed", {
      kind: "error",
      errorClass: "fatal",
      message: "MINTEMP triggered, system stopped! Heater_ID: bed",
    });
    expectBoth("Error:Heating failed, system stopped! Heater_ID: 0", {
      kind: "error",
      errorClass: "fatal",
      message: "Heating failed, system stopped! Heater_ID: 0",
    });
  });

  it("classifies Marlin kill() as fatal when called directly (parseResponse says halted)", () => {
    expect(parseError("Error:Printer halted. kill() called!")).toEqual({
      kind: "error",
      errorClass: "fatal",
      message: "Printer halted. kill() called!",
    });
    expect(parseResponse("Error:Printer halted. kill() called!")).toEqual({
      kind: "halted",
      message: "Printer halted. kill() called!",
    });
  });

  it("classifies SD card errors", () => {
    expectBoth("Error:volume.init failed", {
      kind: "error",
      errorClass: "sd",
      message: "volume.init failed",
    });
    expectBoth("Error:openRoot failed", { kind: "error", errorClass: "sd", message: "openRoot failed" });
    expectBoth("Error:workDir open failed", {
      kind: "error",
      errorClass: "sd",
      message: "workDir open failed",
    });
    expectBoth("Error:open failed, File: missing.gco.", {
      kind: "error",
      errorClass: "sd",
      message: "open failed, File: missing.gco.",
    });
  });

  it("classifies unknown commands and anything else", () => {
    expectBoth("Error:Unknown command: G999", {
      kind: "error",
      errorClass: "unknown-command",
      message: "Unknown command: G999",
    });
    expectBoth("Error: G0/G1: insufficient axes homed", {
      kind: "error",
      errorClass: "other",
      message: "G0/G1: insufficient axes homed",
    });
    expectBoth("Error:Printer stopped due to errors. Fix the error and use M999 to restart.", {
      kind: "error",
      errorClass: "other",
      message: "Printer stopped due to errors. Fix the error and use M999 to restart.",
    });
  });

  it("treats every Klipper `!!` line as fatal", () => {
    expectBoth("!! Must home axis first: 20.000 20.000 0.400 [0.000]", {
      kind: "error",
      errorClass: "fatal",
      message: "Must home axis first: 20.000 20.000 0.400 [0.000]",
    });
  });

  it("treats Repetier `fatal:` as fatal", () => {
    const message =
      "Heater sensor defect - Printer stopped and heaters disabled due to this error. Fix error and restart with M999.";
    expectBoth(`fatal:${message}`, { kind: "error", errorClass: "fatal", message });
  });

  it("accepts any case of the `Error:` prefix", () => {
    expectBoth("ERROR:checksum mismatch, Last Line: 7", {
      kind: "error",
      errorClass: "resend",
      message: "checksum mismatch, Last Line: 7",
      lastLine: 7,
    });
  });

  it("ignores other lines", () => {
    expect(parseError("ok")).toBeNull();
    expect(parseError("echo:Error")).toBeNull();
    expect(parseError("Errors: 0")).toBeNull();
    expect(parseError("!")).toBeNull();
    expect(parseError("fatal")).toBeNull();
  });

  it("classifies in order: recoverable before resend", () => {
    expect(classifyError("No Line Number with checksum, Last Line: 1")).toBe("recoverable");
    expect(classifyError("format error")).toBe("resend");
    expect(classifyError("Expected line 5")).toBe("resend");
    expect(classifyError("cannot enter subdir: FOO")).toBe("sd");
    expect(classifyError("Thermal Malfunction")).toBe("fatal");
    expect(classifyError("Watchdog barked")).toBe("fatal");
    expect(classifyError("KILL caused by KILL button/pin")).toBe("fatal");
    expect(classifyError("")).toBe("other");
  });
});
