import { describe, expect, it } from "vitest";
import { parseFileListEntry } from "../../../../server/gcode/responses/file-list-entry.ts";

describe("parseFileListEntry", () => {
  it("reads an 8.3 name and size", () => {
    expect(parseFileListEntry("CUBE~1.GCO 672986")).toEqual({
      kind: "sd",
      event: { type: "list-entry", name: "CUBE~1.GCO", size: 672986 },
    });
    expect(parseFileListEntry("CUBE~1.GCO 672986\r")).toEqual({
      kind: "sd",
      event: { type: "list-entry", name: "CUBE~1.GCO", size: 672986 },
    });
  });

  it("reads a path with size, timestamp and quoted long name", () => {
    expect(parseFileListEntry('/FOLDER/PART.GCO 123 0x5a2b3c4d "Long Name.gcode"')).toEqual({
      kind: "sd",
      event: { type: "list-entry", name: "/FOLDER/PART.GCO", size: 123, longName: "Long Name.gcode" },
    });
  });

  it("reads a bare long name", () => {
    expect(parseFileListEntry("CUBE~1.GCO 672986 cube.gcode")).toEqual({
      kind: "sd",
      event: { type: "list-entry", name: "CUBE~1.GCO", size: 672986, longName: "cube.gcode" },
    });
  });

  it("reads a name alone", () => {
    expect(parseFileListEntry("CUBE~1.GCO")).toEqual({
      kind: "sd",
      event: { type: "list-entry", name: "CUBE~1.GCO" },
    });
  });

  it("refuses lines that parseResponse recognises", () => {
    expect(parseFileListEntry("End file list")).toBeNull();
    expect(parseFileListEntry("ok")).toBeNull();
    expect(parseFileListEntry("echo:SD card ok")).toBeNull();
    expect(parseFileListEntry("")).toBeNull();
    expect(parseFileListEntry("   ")).toBeNull();
  });
});
