import { describe, expect, it } from "vitest";
import {
  extrudeLines,
  fanLine,
  homeLine,
  jogLines,
  targetLines,
  terminalLine,
} from "../../../server/api/v1/command-lines.ts";
import { attachment, rfc5987 } from "../../../server/api/v1/content-disposition.ts";

describe("printer commands as G-code", () => {
  it("sets nozzle, bed and chamber targets, nozzles in tool order", () => {
    expect(
      targetLines({
        tools: new Map([
          [1, 190],
          [0, 210.4],
        ]),
        bed: 60,
        chamber: 40,
      }),
    ).toEqual(["M104 T0 S210", "M104 T1 S190", "M140 S60", "M141 S40"]);
    expect(targetLines({ tools: new Map(), bed: 0 })).toEqual(["M140 S0"]);
  });

  it("refuses targets over the limits, naming the heater", () => {
    expect(() => targetLines({ tools: new Map([[0, 301]]) })).toThrow(/body\.tool0: .*0 and 300/);
    expect(() => targetLines({ tools: new Map(), bed: 121 })).toThrow(/body\.bed: .*0 and 120/);
    expect(() => targetLines({ tools: new Map([[0, 280]]) }, { nozzle: 260, bed: 100, chamber: 60 })).toThrow(
      /0 and 260/,
    );
  });

  it("jogs relatively and returns to absolute positioning", () => {
    expect(jogLines({ x: 10, y: -5.25 })).toEqual(["G91", "G1 X10 Y-5.25 F6000", "G90"]);
    expect(jogLines({ z: 0.1 })).toEqual(["G91", "G1 Z0.1 F600", "G90"]);
    expect(jogLines({ x: 1, feedrate: 1200 })).toEqual(["G91", "G1 X1 F1200", "G90"]);
    expect(() => jogLines({ x: 0 })).toThrow(/give a distance/);
  });

  it("homes all axes or the ones named", () => {
    expect(homeLine(undefined)).toBe("G28");
    expect(homeLine(["z", "x"])).toBe("G28 X Z");
    expect(homeLine(["x", "y", "z"])).toBe("G28");
  });

  it("extrudes relatively; 0 is refused", () => {
    expect(extrudeLines(5)).toEqual(["M83", "G1 E5 F300"]);
    expect(extrudeLines(-2, 1200)).toEqual(["M83", "G1 E-2 F1200"]);
    expect(() => extrudeLines(0)).toThrow(/amount/);
  });

  it("maps fan percent to PWM; 0 is M107", () => {
    expect(fanLine(100)).toBe("M106 S255");
    expect(fanLine(50)).toBe("M106 S128");
    expect(fanLine(0)).toBe("M107");
  });
});

describe("terminal lines", () => {
  it("sends a bare command with its comment stripped", () => {
    expect(terminalLine("M105 ; poll", 96)).toEqual({ kind: "send", command: "M105" });
    expect(terminalLine("  g28   x ", 96)).toEqual({ kind: "send", command: "g28 x" });
  });

  it("turns M112 into an emergency stop", () => {
    expect(terminalLine("M112", 96)).toEqual({ kind: "emergency" });
    expect(terminalLine("m112 ; stop!", 96)).toEqual({ kind: "emergency" });
  });

  it.each([
    ["M104 S200\nM140 S100", /one line only/],
    ["M117 hi\r", /one line only/],
    ["G1 X1\u0000", /control characters/],
    ["M117 héllo", /ASCII/],
    ["N5 G28*12", /bare command/],
    ["G28*18", /bare command/],
    ["M110 N0", /renumbers/],
    [";only a comment", /no command/],
    ["", /no command/],
  ])("refuses %j", (line, why) => {
    expect(() => terminalLine(line, 96)).toThrow(why);
  });

  it("refuses a line too long for the firmware's buffer once numbered", () => {
    const long = `M117 ${"x".repeat(90)}`;
    expect(() => terminalLine(long, 96)).toThrow(expect.objectContaining({ code: "LINE_TOO_LONG" }));
    expect(terminalLine(long, 256)).toEqual({ kind: "send", command: long });
    expect(() => terminalLine("G28", 96, "body.commands.3")).not.toThrow();
    expect(() => terminalLine("\n", 96, "body.commands.3")).toThrow(/^body\.commands\.3:/);
  });
});

describe("Content-Disposition", () => {
  it("gives an ASCII fallback and the exact UTF-8 name (RFC 5987)", () => {
    expect(attachment("cube.gcode")).toBe(`attachment; filename="cube.gcode"; filename*=UTF-8''cube.gcode`);
    expect(attachment('Würfel "v2" (final).gcode')).toBe(
      `attachment; filename="W_rfel _v2_ (final).gcode"; filename*=UTF-8''W%C3%BCrfel%20%22v2%22%20%28final%29.gcode`,
    );
  });

  it("percent-encodes everything outside attr-char", () => {
    expect(rfc5987("a'b*c!d~e")).toBe("a%27b%2Ac!d~e");
    expect(decodeURIComponent(rfc5987("星.gcode"))).toBe("星.gcode");
  });
});
