import { describe, expect, it } from "vitest";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import { parseStart } from "../../../../server/gcode/responses/start.ts";
import { parseWait } from "../../../../server/gcode/responses/wait.ts";

describe("parseWait", () => {
  it("reads exactly `wait`", () => {
    expect(parseWait("wait")).toEqual({ kind: "wait" });
    expect(parseResponse("wait")).toEqual({ kind: "wait" });
    expect(parseResponse("wait\r")).toEqual({ kind: "wait" });
  });

  it("ignores anything longer", () => {
    expect(parseWait("waiting")).toBeNull();
    expect(parseResponse("waiting")).toEqual({ kind: "other", line: "waiting" });
  });
});

describe("parseStart", () => {
  it("reads exactly `start` (trimmed)", () => {
    expect(parseStart("start")).toEqual({ kind: "start" });
    expect(parseResponse("start")).toEqual({ kind: "start" });
    expect(parseResponse(" start \r")).toEqual({ kind: "start" });
  });

  it("ignores anything longer", () => {
    expect(parseStart("started")).toBeNull();
    expect(parseResponse("echo:start")).toEqual({ kind: "echo", message: "start" });
  });
});
