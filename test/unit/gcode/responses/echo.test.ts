import { describe, expect, it } from "vitest";
import { parseEcho } from "../../../../server/gcode/responses/echo.ts";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import type { Response } from "../../../../server/gcode/responses/types.ts";

function expectBoth(line: string, expected: Response): void {
  expect(parseEcho(line.trim())).toEqual(expected);
  expect(parseResponse(line)).toEqual(expected);
}

describe("parseEcho", () => {
  it("reads Marlin's unknown-command warning", () => {
    expectBoth('echo:Unknown command: "G999"', {
      kind: "echo",
      message: 'Unknown command: "G999"',
      unknownCommand: "G999",
    });
    expectBoth('echo:Unknown command: "M1234 S1"\r', {
      kind: "echo",
      message: 'Unknown command: "M1234 S1"',
      unknownCommand: "M1234 S1",
    });
  });

  it("trims the message (M503 report, boot banner)", () => {
    expectBoth("echo:  M92 X80.00 Y80.00 Z400.00 E93.00", {
      kind: "echo",
      message: "M92 X80.00 Y80.00 Z400.00 E93.00",
    });
    expectBoth("echo: Free Memory: 5095  PlannerBufferBytes: 1312", {
      kind: "echo",
      message: "Free Memory: 5095  PlannerBufferBytes: 1312",
    });
    expectBoth("echo:Active Extruder: 0", { kind: "echo", message: "Active Extruder: 0" });
  });

  it("loses echo lines to busy and sd, which run first", () => {
    expect(parseEcho("echo:busy: processing")).toEqual({ kind: "echo", message: "busy: processing" });
    expect(parseResponse("echo:busy: processing")).toEqual({ kind: "busy", reason: "processing" });
    expect(parseResponse("echo:SD card ok")).toEqual({ kind: "sd", event: { type: "card-ok" } });
  });

  it("ignores lines without the prefix", () => {
    expect(parseEcho("Echo:x")).toBeNull();
    expect(parseEcho("ok")).toBeNull();
  });
});
