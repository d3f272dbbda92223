import { describe, expect, it } from "vitest";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import { parseResend } from "../../../../server/gcode/responses/resend.ts";

describe("parseResend", () => {
  it.each([
    ["Resend: 123", 123],
    ["Resend:123", 123],
    ["Resend: N123", 123],
    ["Resend: N:123", 123],
    ["rs N123", 123],
    ["rs 123", 123],
    ["RESEND: 7", 7],
    ["Resend: 41\r", 41],
  ])("reads %j", (line, lineNumber) => {
    expect(parseResend(line.trim())).toEqual({ kind: "resend", lineNumber });
    expect(parseResponse(line)).toEqual({ kind: "resend", lineNumber });
  });

  it("needs a number", () => {
    expect(parseResend("Resend:")).toBeNull();
    expect(parseResponse("Resend:")).toEqual({ kind: "other", line: "Resend:" });
  });

  it("ignores other lines", () => {
    expect(parseResend("ok")).toBeNull();
    expect(parseResend("Error:checksum mismatch, Last Line: 41")).toBeNull();
    expect(parseResend("echo:Resend: 1")).toBeNull();
  });
});
