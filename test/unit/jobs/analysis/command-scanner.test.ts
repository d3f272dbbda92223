import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { commandCode, stripComment } from "../../../../server/gcode/line.ts";
import { CommandScanner } from "../../../../server/jobs/analysis/command-scanner.ts";
import { parseWords } from "../../../../server/jobs/analysis/gcode-words.ts";

const CUBE = resolve(
  import.meta.dirname,
  "../../../../../shared/fixtures/gcode/cube20_mk3s_0.20mm_prusaslicer-2.5.0.gcode",
);

function scan(line: string): CommandScanner {
  const s = new CommandScanner();
  const bytes = Buffer.from(line, "latin1");
  s.scan(bytes, 0, bytes.length);
  return s;
}

function words(s: CommandScanner): Record<string, number> {
  const out: Record<string, number> = {};
  for (let i = 0; i < 26; i++) {
    if (s.present & (1 << i)) out[String.fromCharCode(65 + i)] = s.values[i] as number;
  }
  return out;
}

describe("CommandScanner", () => {
  it("reads the code, the words and the stripped length", () => {
    const s = scan("  G1 X10.5 Y-2 E.8 F1200 ; travel");
    expect(s.codeText()).toBe("G1");
    expect(words(s)).toEqual({ X: 10.5, Y: -2, E: 0.8, F: 1200 });
    expect(s.length).toBe("G1 X10.5 Y-2 E.8 F1200".length);
  });

  it("tells blank and comment lines apart", () => {
    const blank = Buffer.from(" \t\r");
    expect(new CommandScanner().scan(blank, 0, blank.length)).toBe("blank");
    const comment = Buffer.from("  ;LAYER_CHANGE");
    const s = new CommandScanner();
    expect(s.scan(comment, 0, comment.length)).toBe("comment");
    expect(s.start).toBe(2);
  });

  it("follows Marlin's parser: words without blanks, lower case, sub-codes, a bare letter as 0", () => {
    expect(words(scan("g1x10y5"))).toEqual({ X: 10, Y: 5 });
    expect(scan("g1x10y5").codeText()).toBe("G1");
    expect(scan('M862.3 P "MK3S"').codeText()).toBe("M862");
    expect(words(scan("G28 X Y"))).toEqual({ X: 0, Y: 0 });
    expect(scan("T1").codeText()).toBe("T1");
    expect(scan("N10 G1 X1").codeText()).toBeNull();
    expect(scan("X1").codeText()).toBeNull();
  });

  it("drops words that are not numbers, as Number() would", () => {
    expect(words(scan("G1 X1.2.3 Y- Z. E5*12 F+3"))).toEqual({ F: 3 });
  });

  it("keeps Number()'s value for long mantissas", () => {
    for (const text of ["0.1234567890123456789", "123456789.123456789", "-0.000000000000000001"]) {
      expect(scan(`G1 X${text}`).value("X")).toBe(Number(text));
    }
  });

  it("agrees with stripComment, commandCode and parseWords on every line of the cube fixture", () => {
    const s = new CommandScanner();
    let commands = 0;
    for (const line of readFileSync(CUBE, "latin1").split("\n")) {
      const bytes = Buffer.from(line, "latin1");
      const kind = s.scan(bytes, 0, bytes.length);
      const stripped = stripComment(line);
      if (kind !== "command") {
        expect(stripped).toBe("");
        continue;
      }
      commands++;
      expect(s.length).toBe(stripped.length);
      expect(s.codeText()).toBe(commandCode(stripped));
      if (s.codeText() === "M862") continue; // its quoted string is no word for either
      expect(words(s)).toEqual(Object.fromEntries(parseWords(stripped)));
    }
    expect(commands).toBe(23_533);
  });
});
