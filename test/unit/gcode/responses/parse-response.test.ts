import { describe, expect, it } from "vitest";
import { parseResponse, RESPONSE_PARSERS } from "../../../../server/gcode/responses/parse-response.ts";
import type { ResponseKind } from "../../../../server/gcode/responses/types.ts";

const KINDS: ReadonlySet<ResponseKind> = new Set<ResponseKind>([
  "ok",
  "resend",
  "error",
  "busy",
  "wait",
  "temperature",
  "position",
  "firmware-info",
  "capability",
  "sd",
  "action",
  "start",
  "halted",
  "echo",
  "other",
]);

/** Deterministic byte soup (xorshift32), so a failure reproduces. */
function randomLines(count: number, seed: number): string[] {
  let state = seed;
  const next = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  const alphabet = "okT:B@/ 0123456789.-EeNrsRX:YZ!\u0000\u00ff\u0013\r\techo:Error:FIRMWARE_NAME:Cap:";
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const length = next() % 80;
    let line = "";
    for (let j = 0; j < length; j++) {
      const r = next();
      line += r % 4 === 0 ? String.fromCharCode(r % 256) : alphabet.charAt(r % alphabet.length);
    }
    lines.push(line);
  }
  return lines;
}

describe("parseResponse", () => {
  it("runs the parsers in the documented order", () => {
    expect(RESPONSE_PARSERS.map((parse) => parse.name)).toEqual([
      "parseOk",
      "parseHalted",
      "parseError",
      "parseResend",
      "parseBusy",
      "parseWait",
      "parseStart",
      "parseAction",
      "parseFirmwareInfo",
      "parseCapability",
      "parseSd",
      "parseEcho",
      "parsePosition",
      "parseTemperature",
    ]);
  });

  it("settles overlaps by order", () => {
    expect(parseResponse("ok T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0").kind).toBe("ok");
    expect(parseResponse("Error:Printer halted. kill() called!").kind).toBe("halted");
    expect(parseResponse("!! Shutdown due to M112 command").kind).toBe("halted");
    expect(parseResponse("!! Must home axis first: 20.000 20.000 0.400 [0.000]").kind).toBe("error");
    expect(parseResponse("echo:busy: processing").kind).toBe("busy");
    expect(parseResponse('echo:Unknown command: "G999"').kind).toBe("echo");
    expect(parseResponse("X:10.00 Y:20.00 Z:0.30 E:1.50 Count X:800 Y:1600 Z:120").kind).toBe("position");
  });

  it("keeps Marlin banner lines as other, verbatim without the terminator", () => {
    expect(parseResponse("Marlin 2.1.2.1\r")).toEqual({ kind: "other", line: "Marlin 2.1.2.1" });
    expect(parseResponse(" Last Updated: 2023-08-05 | Author: (none, default config)")).toEqual({
      kind: "other",
      line: " Last Updated: 2023-08-05 | Author: (none, default config)",
    });
    expect(parseResponse("Compiled: Aug  5 2023")).toEqual({ kind: "other", line: "Compiled: Aug  5 2023" });
    expect(parseResponse("echo: Free Memory: 5095  PlannerBufferBytes: 1312")).toEqual({
      kind: "echo",
      message: "Free Memory: 5095  PlannerBufferBytes: 1312",
    });
  });

  it("turns empty and blank lines into other", () => {
    expect(parseResponse("")).toEqual({ kind: "other", line: "" });
    expect(parseResponse("\r")).toEqual({ kind: "other", line: "" });
    expect(parseResponse("   ")).toEqual({ kind: "other", line: "   " });
  });

  it("does not take garbage-prefixed lines for protocol lines", () => {
    expect(parseResponse("\u0000\u00ff\u0013ok")).toEqual({ kind: "other", line: "\u0000\u00ff\u0013ok" });
    expect(parseResponse("\u0000Resend: 4")).toEqual({ kind: "other", line: "\u0000Resend: 4" });
    expect(parseResponse("T:abc")).toEqual({ kind: "other", line: "T:abc" });
    expect(parseResponse("\u00ff\u00fe\u00fd")).toEqual({ kind: "other", line: "\u00ff\u00fe\u00fd" });
  });

  it("never throws on random bytes", () => {
    for (const line of randomLines(5000, 0x1a2b3c4d)) {
      const response = parseResponse(line);
      expect(KINDS.has(response.kind)).toBe(true);
    }
  });

  it("stays fast on long blank runs", () => {
    const blanks = " ".repeat(20_000);
    const started = performance.now();
    parseResponse(`T:1${blanks}x`);
    parseResponse(`FIRMWARE_NAME:a${blanks}b`);
    parseResponse(`X:1 Y:2 Z:3${blanks}E`);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
