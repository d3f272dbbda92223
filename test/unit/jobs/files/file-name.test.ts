import { describe, expect, it } from "vitest";
import { normalizeFilePath, normalizeFolderPath } from "../../../../server/jobs/files/file-name.ts";
import { type HostErrorCode, isHostError } from "../../../../server/util/errors.ts";

function codeOf(fn: () => unknown): HostErrorCode | "ok" {
  try {
    fn();
    return "ok";
  } catch (err) {
    if (isHostError(err)) return err.code;
    throw err;
  }
}

const HOSTILE: [label: string, name: string][] = [
  ["parent traversal", "../x.gcode"],
  ["traversal inside a path", "a/../../x.gcode"],
  ["dot segment", "a/./x.gcode"],
  ["absolute path", "/etc/passwd.gcode"],
  ["hidden file", ".hidden.gcode"],
  ["hidden folder", "a/.git/x.gcode"],
  ["the bare extension", ".gcode"],
  ["device name with extension", "CON.gcode"],
  ["device name lower case", "nul.g"],
  ["device name with a second extension", "lpt9.gcode.gz"],
  ["device name COM", "com1.gcode"],
  ["device name with a space before the dot", "aux .gcode"],
  ["device name superscript", "COM¹.gcode"],
  ["device folder", "prn/x.gcode"],
  ["NUL byte", "x\u0000.gcode"],
  ["newline", "x\n.gcode"],
  ["DEL", "x\u007f.gcode"],
  ["C1 control", "x\u0085.gcode"],
  ["windows traversal", "a\\..\\b.gcode"],
  ["backslash", "a\\b.gcode"],
  ["empty", ""],
  ["empty segment", "a//b.gcode"],
  ["trailing slash", "a/b.gcode/"],
  ["trailing dot", "x.gcode."],
  ["trailing space in a folder", "folder /x.gcode"],
  ["less-than", "a<b.gcode"],
  ["colon (drive letter)", "C:x.gcode"],
  ["quote", 'a"b.gcode'],
  ["pipe", "a|b.gcode"],
  ["question mark", "a?.gcode"],
  ["asterisk", "a*.gcode"],
  ["right-to-left override", "x\u202eedocg.exe.gcode"],
  ["lone surrogate", "\ud800.gcode"],
  ["segment over 255 bytes", `${"x".repeat(250)}.gcode`],
  ["segment over 255 bytes, 132 characters", `${"é".repeat(126)}.gcode`],
  ["path over 1024 bytes", `${Array.from({ length: 11 }, () => "a".repeat(100)).join("/")}/x.gcode`],
];

describe("normalizeFilePath", () => {
  it.each(HOSTILE)("refuses %s with BAD_NAME", (_label, name) => {
    expect(codeOf(() => normalizeFilePath(name))).toBe("BAD_NAME");
    expect(codeOf(() => normalizeFolderPath(name))).toBe("BAD_NAME");
  });

  it("names the problem and shows control characters escaped", () => {
    expect(() => normalizeFilePath("../x.gcode")).toThrow(
      /"\.\.\/x\.gcode" is not a valid name: "\." and "\.\."/,
    );
    expect(() => normalizeFilePath("x\u0000.gcode")).toThrow(/"x\\u0000\.gcode" .*control characters/);
    expect(() => normalizeFilePath("a\\b.gcode")).toThrow(/backslashes are not allowed/);
    expect(() => normalizeFilePath("CON.gcode")).toThrow(/reserved device name/);
  });

  it.each([
    "benchy.gcode",
    "Benchy.GCODE",
    "x.gco",
    "x.g",
    "x.G",
    "x.gcode.gz",
    "X.GCODE.GZ",
    "parts/left arm.gcode",
    "a/b/c/d.gcode",
    "a.b.c.gcode",
    "日本語.gcode",
    "console.gcode",
    "con-tray.gcode",
    "com10.gcode",
    "nullable.g",
    "x .gcode",
    `${"x".repeat(249)}.gcode`,
    `${"é".repeat(124)}.gcode`,
  ])("accepts %j unchanged", (name) => {
    expect(normalizeFilePath(name)).toBe(name);
  });

  it("normalises to NFC, so NFD and NFC spellings are the same file", () => {
    const nfd = "cafe\u0301/cre\u0300me.gcode";
    const nfc = "caf\u00e9/cr\u00e8me.gcode";
    expect(nfd).not.toBe(nfc);
    expect(normalizeFilePath(nfd)).toBe(nfc);
    expect(normalizeFilePath(nfc)).toBe(nfc);
  });

  it.each(["x.stl", "x.txt", "x.gz", "x.gcode.zip", "x.gcode.bak", "x.bgcode.gz", "gcode", "x"])(
    "refuses %j with UNSUPPORTED_FILE naming the accepted types",
    (name) => {
      expect(codeOf(() => normalizeFilePath(name))).toBe("UNSUPPORTED_FILE");
      expect(() => normalizeFilePath(name)).toThrow(/accepted types: \.gcode, \.gco, \.g, \.gcode\.gz/);
    },
  );

  it("refuses binary G-code as not supported yet", () => {
    expect(codeOf(() => normalizeFilePath("x.BGCODE"))).toBe("UNSUPPORTED_FILE");
    expect(() => normalizeFilePath("x.bgcode")).toThrow(/binary G-code \(\.bgcode\) is not supported yet/);
  });

  it("checks the name before the extension", () => {
    expect(codeOf(() => normalizeFilePath("../x.stl"))).toBe("BAD_NAME");
  });
});

describe("normalizeFolderPath", () => {
  it("accepts folders without an extension", () => {
    expect(normalizeFolderPath("parts")).toBe("parts");
    expect(normalizeFolderPath("parts/v2.1")).toBe("parts/v2.1");
    expect(normalizeFolderPath("cafe\u0301")).toBe("caf\u00e9");
  });
});
