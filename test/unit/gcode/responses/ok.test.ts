import { describe, expect, it } from "vitest";
import { parseOk } from "../../../../server/gcode/responses/ok.ts";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import type { Response } from "../../../../server/gcode/responses/types.ts";

function expectBoth(line: string, expected: Response): void {
  expect(parseOk(line.trim())).toEqual(expected);
  expect(parseResponse(line)).toEqual(expected);
}

describe("parseOk", () => {
  it("reads a bare ok (Marlin queue.cpp ok_to_send)", () => {
    expectBoth("ok", { kind: "ok" });
    expectBoth("ok\r", { kind: "ok" });
    expectBoth("ok ", { kind: "ok" });
  });

  it("reads Marlin ADVANCED_OK with and without a line number", () => {
    expectBoth("ok N1682 P114 B63", { kind: "ok", lineNumber: 1682, plannerFree: 114, bufferFree: 63 });
    expectBoth("ok P15 B3", { kind: "ok", plannerFree: 15, bufferFree: 3 });
  });

  it("reads Repetier's acknowledged line number", () => {
    expectBoth("ok 123", { kind: "ok", lineNumber: 123 });
  });

  it("carries Marlin M105 temperatures", () => {
    expectBoth("ok T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0", {
      kind: "ok",
      temperatures: {
        T: { actual: 210, target: 210, power: 127 },
        B: { actual: 60, target: 60, power: 0 },
      },
    });
  });

  it("carries Klipper M105 temperatures (numbered tools only)", () => {
    expectBoth("ok B:60.0 /60.0 T0:210.0 /210.0", {
      kind: "ok",
      temperatures: { B: { actual: 60, target: 60 }, T0: { actual: 210, target: 210 } },
    });
  });

  it("carries Klipper's not-ready M105 answer", () => {
    expectBoth("ok T:0", { kind: "ok", temperatures: { T: { actual: 0, target: null } } });
  });

  it("carries RepRapFirmware M105 temperatures", () => {
    expectBoth("ok T:25.0 /0.0 B:24.6 /0.0", {
      kind: "ok",
      temperatures: { T: { actual: 25, target: 0 }, B: { actual: 24.6, target: 0 } },
    });
  });

  it("carries Smoothieware temperatures with `@<pwm>` power", () => {
    expectBoth("ok T:21.3 /0.0 @0 B:21.1 /0.0 @0", {
      kind: "ok",
      temperatures: {
        T: { actual: 21.3, target: 0, power: 0 },
        B: { actual: 21.1, target: 0, power: 0 },
      },
    });
  });

  it("keeps Klipper's M115 acknowledgement an ok", () => {
    expectBoth("ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-85-gd785b396", { kind: "ok" });
  });

  it("keeps Smoothieware's M114 acknowledgement an ok", () => {
    expectBoth("ok C: X:0.0000 Y:0.0000 Z:0.0000", { kind: "ok" });
  });

  it("ignores lines that do not start with lower-case ok", () => {
    expect(parseOk("OK")).toBeNull();
    expect(parseOk("echo:ok")).toBeNull();
    expect(parseOk("\u0000ok")).toBeNull();
    expect(parseOk("Resend: 41")).toBeNull();
  });
});
