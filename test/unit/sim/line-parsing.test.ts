import { describe, expect, it } from "vitest";
import { checksum } from "../../../server/gcode/line.ts";
import { commandText, Params, parseCommand } from "../../../server/sim/command.ts";
import { EmergencyParser } from "../../../server/sim/emergency-parser.ts";
import { LineAssembler } from "../../../server/sim/line-assembler.ts";
import { checkLine, LINE_ERRORS, strtol, xorChecksum } from "../../../server/sim/line-validator.ts";

function numbered(n: number, command: string): string {
  const body = `N${n} ${command}`;
  return `${body}*${checksum(body)}`;
}

describe("checkLine (queue.cpp get_serial_commands)", () => {
  it("accepts the next line number with a matching checksum", () => {
    expect(checkLine(numbered(5, "G1 X10"), 4)).toEqual({ ok: true, lineNumber: 5 });
  });

  it("checks the line number before the checksum", () => {
    expect(checkLine("N7 G1 X10*0", 4)).toEqual({ ok: false, error: LINE_ERRORS.lineNumber });
  });

  it("rejects a checksum mismatch", () => {
    const line = numbered(5, "G1 X10").replace("X10", "X11");
    expect(checkLine(line, 4)).toEqual({ ok: false, error: LINE_ERRORS.checksum });
  });

  it("rejects a numbered line without checksum", () => {
    expect(checkLine("N5 G1 X10", 4)).toEqual({ ok: false, error: LINE_ERRORS.noChecksum });
  });

  it("rejects a checksum without line number", () => {
    expect(checkLine("G1 X10*45", 4)).toEqual({ ok: false, error: LINE_ERRORS.noLineNumber });
  });

  it("accepts unnumbered lines without checksum", () => {
    expect(checkLine("G1 X10", 4)).toEqual({ ok: true, lineNumber: null });
  });

  it("exempts M110 from the sequence and takes its own N argument", () => {
    expect(checkLine(numbered(0, "M110 N0"), 41)).toEqual({ ok: true, lineNumber: 0 });
    expect(checkLine(numbered(3, "M110 N100"), 41)).toEqual({ ok: true, lineNumber: 100 });
    expect(checkLine(numbered(-1, "M110"), 41)).toEqual({ ok: true, lineNumber: -1 });
  });

  it("computes the same XOR checksum as the host's line.ts", () => {
    const body = "N12 G1 X5";
    expect(xorChecksum(body, body.length)).toBe(checksum(body));
    expect(xorChecksum(body, body.length)).toBe(86);
  });

  it("parses numbers like C strtol", () => {
    expect(strtol("N-1 M110", 1)).toBe(-1);
    expect(strtol("* 42abc", 1)).toBe(42);
    expect(strtol("*x", 1)).toBe(0);
  });
});

describe("LineAssembler (process_stream_char)", () => {
  const assemble = (text: string, max = 96): string => {
    const a = new LineAssembler(max);
    for (const c of Buffer.from(text, "latin1")) a.push(c);
    return a.take();
  };

  it("drops a ; comment to the end of the line", () => {
    expect(assemble("G1 X5 ; move it")).toBe("G1 X5 ");
  });

  it("keeps MAX_CMD_SIZE - 1 bytes and drops the rest", () => {
    expect(assemble("M117 ".padEnd(150, "x"), 96)).toHaveLength(95);
  });

  it("handles backspace and escapes", () => {
    expect(assemble("G1 X55\bY2")).toBe("G1 X5Y2");
    expect(assemble("M117 a\\;b")).toBe("M117 a;b");
  });
});

describe("EmergencyParser (e_parser.h)", () => {
  const feed = (text: string): (string | null)[] => {
    const p = new EmergencyParser();
    return [...Buffer.from(text)].map((c) => p.update(c)).filter((c) => c !== null);
  };

  it("acts at the end of the line, numbered or not", () => {
    expect(feed("M112\n")).toEqual(["M112"]);
    expect(feed("N12 M108*99\n")).toEqual(["M108"]);
    expect(feed("G1 X1\nM410\r")).toEqual(["M410"]);
  });

  it("ignores everything else", () => {
    expect(feed("G1 M112\nM1\nM11 2\nM4100\n")).toEqual(["M410"]);
  });
});

describe("command parsing (parser.cpp)", () => {
  it("strips the line number and the checksum", () => {
    expect(commandText("N12 G1 X5 *86")).toBe("G1 X5");
    expect(commandText("N-1 M110*15")).toBe("M110");
    expect(commandText("M117 Hello")).toBe("M117 Hello");
  });

  it("splits letter, code and arguments", () => {
    expect(parseCommand("N3 g1 x5 E.4*1")).toEqual({
      text: "g1 x5 E.4",
      letter: "G",
      code: 1,
      args: "x5 E.4",
    });
    expect(parseCommand("T1")).toMatchObject({ letter: "T", code: 1 });
    expect(parseCommand("hello")).toMatchObject({ letter: "H", code: -1 });
  });

  it("reads parameter values", () => {
    const p = new Params().parse("X10 Y-2.5 E.4 S F+3");
    expect([p.value("X"), p.value("Y"), p.value("E"), p.value("F")]).toEqual([10, -2.5, 0.4, 3]);
    expect(p.has("S")).toBe(true);
    expect(p.value("S")).toBeUndefined();
    expect(p.has("Z")).toBe(false);
    expect(p.num("Z", 7)).toBe(7);
  });
});
