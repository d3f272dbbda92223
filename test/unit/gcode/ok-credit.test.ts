import { describe, expect, it } from "vitest";
import { type InFlightLine, InFlightQueue } from "../../../server/gcode/in-flight.ts";
import { acknowledgedCount } from "../../../server/gcode/ok-credit.ts";
import { parseResponse } from "../../../server/gcode/responses/parse-response.ts";
import type { ResponseOf } from "../../../server/gcode/responses/types.ts";

function queue(lines: Array<[number | null, string]>): InFlightQueue {
  const q = new InFlightQueue();
  for (const [lineNumber, command] of lines) {
    const line: InFlightLine = {
      lineNumber,
      command,
      code: command.split(" ")[0] ?? null,
      wire: `${command}\n`,
      source: "job",
      ref: 0,
      longRunning: false,
      sentAt: 0,
      resolve: null,
      reject: null,
    };
    q.push(line);
  }
  return q;
}

const ok = (line: string) => parseResponse(line) as ResponseOf<"ok">;

describe("acknowledgedCount", () => {
  it("a plain ok answers the oldest line", () => {
    expect(
      acknowledgedCount(
        ok("ok"),
        queue([
          [5, "G1 X1"],
          [6, "G1 X2"],
        ]),
      ),
    ).toBe(1);
  });

  it("an ok with nothing in flight belongs to no line", () => {
    expect(acknowledgedCount(ok("ok"), queue([]))).toBe(0);
  });

  it("ADVANCED_OK's N acknowledges every line through it (earlier oks were lost)", () => {
    const q = queue([
      [5, "G1 X1"],
      [6, "G1 X2"],
      [7, "G1 X3"],
    ]);
    expect(acknowledgedCount(ok("ok N6 P15 B3"), q)).toBe(2);
    expect(acknowledgedCount(ok("ok N4 P15 B3"), q)).toBe(0); // a duplicate for a line already answered
  });

  it("an ok without N from ADVANCED_OK still answers the head (an unnumbered command)", () => {
    expect(
      acknowledgedCount(
        ok("ok P15 B3"),
        queue([
          [null, "M105"],
          [5, "G1 X1"],
        ]),
      ),
    ).toBe(1);
  });

  it("ok T:… acknowledges everything through the M105 it answers", () => {
    const q = queue([
      [5, "G1 X1"],
      [6, "G1 X2"],
      [7, "M105"],
      [8, "G1 X3"],
    ]);
    expect(acknowledgedCount(ok("ok T:210.00 /210.00 B:60.00 /60.00 @:64 B@:0"), q)).toBe(3);
  });

  it("ok T:… with no M105 in flight belongs to no line", () => {
    expect(acknowledgedCount(ok("ok T:21.30 /0.00 B:21.00 /0.00"), queue([[5, "G1 X1"]]))).toBe(0);
  });
});
