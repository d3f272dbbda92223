import { describe, expect, it } from "vitest";
import { parseBusy } from "../../../../server/gcode/responses/busy.ts";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";

describe("parseBusy", () => {
  it.each([
    ["busy: processing", "processing"],
    ["echo:busy: processing", "processing"],
    ["busy: paused for user", "paused for user"],
    ["echo:busy: paused for input", "paused for input"],
    ["echo:busy: processing\r", "processing"],
  ])("reads %j", (line, reason) => {
    expect(parseBusy(line.trim())).toEqual({ kind: "busy", reason });
    expect(parseResponse(line)).toEqual({ kind: "busy", reason });
  });

  it("ignores other lines", () => {
    expect(parseBusy('echo:Unknown command: "G999"')).toBeNull();
    expect(parseBusy("busy")).toBeNull();
  });
});
