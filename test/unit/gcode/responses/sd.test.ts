import { describe, expect, it } from "vitest";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import { parseSd } from "../../../../server/gcode/responses/sd.ts";
import type { SdEvent } from "../../../../server/gcode/responses/types.ts";

function expectEvent(line: string, event: SdEvent): void {
  expect(parseSd(line.trim())).toEqual({ kind: "sd", event });
  expect(parseResponse(line)).toEqual({ kind: "sd", event });
}

describe("parseSd", () => {
  it("reads card-ok lines", () => {
    expectEvent("echo:SD card ok", { type: "card-ok" });
    expectEvent("SD card ok", { type: "card-ok" });
    expectEvent("Card successfully initialized.", { type: "card-ok" });
  });

  it("reads card failures", () => {
    expectEvent("echo:SD init fail", { type: "card-failed", message: "SD init fail" });
    expectEvent("echo:No SD card", { type: "card-failed", message: "No SD card" });
    expectEvent("volume.init failed", { type: "card-failed", message: "volume.init failed" });
    expectEvent("echo:No media", { type: "card-failed", message: "No media" });
    expectEvent("openRoot failed", { type: "card-failed", message: "openRoot failed" });
    expectEvent("SD Card unmounted", { type: "card-failed", message: "SD Card unmounted" });
    expectEvent("SD card released", { type: "card-failed", message: "SD card released" });
  });

  it("leaves `Error:`-prefixed card failures to the error parser", () => {
    expect(parseResponse("Error:volume.init failed")).toEqual({
      kind: "error",
      errorClass: "sd",
      message: "volume.init failed",
    });
  });

  it("reads the file-list brackets", () => {
    expectEvent("Begin file list", { type: "list-begin" });
    expectEvent("End file list", { type: "list-end" });
  });

  it("does not classify file-list entries", () => {
    expect(parseSd("CUBE~1.GCO 672986")).toBeNull();
    expect(parseResponse("CUBE~1.GCO 672986")).toEqual({ kind: "other", line: "CUBE~1.GCO 672986" });
  });

  it("reads file selection and print progress", () => {
    expectEvent("File opened: cube.gco Size: 672986", {
      type: "file-opened",
      name: "cube.gco",
      size: 672986,
    });
    expectEvent("echo:File opened: /FOLDER/PART.GCO Size: 123\r", {
      type: "file-opened",
      name: "/FOLDER/PART.GCO",
      size: 123,
    });
    expectEvent("File selected", { type: "file-selected" });
    expectEvent("SD printing byte 1234/672986", { type: "printing-byte", position: 1234, total: 672986 });
    expectEvent("Not SD printing", { type: "not-printing" });
    expectEvent("Done printing file", { type: "done-printing" });
  });

  it("ignores near misses", () => {
    expect(parseSd("SD printing byte")).toBeNull();
    expect(parseSd("File opened: cube.gco")).toBeNull();
    expect(parseSd("End file")).toBeNull();
    expect(parseSd("")).toBeNull();
  });
});
