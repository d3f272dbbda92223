import { describe, expect, it } from "vitest";
import {
  checksum,
  commandCode,
  fitsLineBuffer,
  formatLine,
  isAscii,
  renumberCommand,
  stripComment,
  wireLengthBound,
} from "../../../server/gcode/line.ts";

describe("checksum", () => {
  it("is the XOR of every byte before '*'", () => {
    // N12 G1 X5: 0x4e^0x31^0x32^0x20^0x47^0x31^0x20^0x58^0x35 = 86
    expect(checksum("N12 G1 X5")).toBe(86);
    expect(checksum("N0 M110 N0")).toBe(125);
    expect(checksum("")).toBe(0);
  });
});

describe("formatLine", () => {
  it("numbers and checksums a command byte for byte", () => {
    expect(formatLine(12, "G1 X5")).toBe("N12 G1 X5*86\n");
    expect(formatLine(0, "M110 N0")).toBe("N0 M110 N0*125\n");
    // Real line from a Marlin log (performance-limits.md §1.3): 35 bytes with the newline.
    expect(formatLine(192, "G1 X83.39 Y105.12 E4.23382")).toBe("N192 G1 X83.39 Y105.12 E4.23382*82\n");
    expect(formatLine(192, "G1 X83.39 Y105.12 E4.23382")).toHaveLength(35);
  });

  it("renumbers with M110", () => {
    expect(renumberCommand(41)).toBe("M110 N41");
  });
});

describe("stripComment", () => {
  it("drops comments and folds whitespace", () => {
    expect(stripComment("G1 X10 Y20 ; move")).toBe("G1 X10 Y20");
    expect(stripComment(";LAYER_CHANGE")).toBe("");
    expect(stripComment("   ")).toBe("");
    expect(stripComment("G1\tX1   Y2\r")).toBe("G1 X1 Y2");
    expect(stripComment("M117 Hello world")).toBe("M117 Hello world");
  });
});

describe("line length", () => {
  it("bounds the wire length for the largest line number", () => {
    // N999999 G1 X5*255 → 1+6+1+5+4 = 17
    expect(wireLengthBound("G1 X5", 999_999)).toBe(17);
  });

  it("keeps MAX_CMD_SIZE - 1 characters (Marlin)", () => {
    const command = `M117 ${"x".repeat(80)}`; // 85 characters
    expect(fitsLineBuffer(command, 9, 96)).toBe(true); // N9 + space + 85 + *cs = 92 <= 95
    expect(fitsLineBuffer(command, 99_999, 96)).toBe(false); // 1+5+1+85+4 = 96 > 95
  });
});

describe("commandCode", () => {
  it("reads the code of G, M and T commands", () => {
    expect(commandCode("G1 X5")).toBe("G1");
    expect(commandCode("g28")).toBe("G28");
    expect(commandCode("M109 S215")).toBe("M109");
    expect(commandCode("G29.1")).toBe("G29");
    expect(commandCode("T1")).toBe("T1");
    expect(commandCode("@pause")).toBeNull();
  });

  it("flags non-ASCII commands", () => {
    expect(isAscii("M117 Hello")).toBe(true);
    expect(isAscii("M117 Grüße")).toBe(false);
  });
});
