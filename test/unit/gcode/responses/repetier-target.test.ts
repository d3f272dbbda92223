import { describe, expect, it } from "vitest";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import { parseRepetierTarget } from "../../../../server/gcode/responses/repetier-target.ts";

describe("parseRepetierTarget", () => {
  it("reads Repetier target-only lines that parseResponse leaves as other", () => {
    expect(parseRepetierTarget("TargetExtr0:210")).toEqual({ key: "T0", target: 210 });
    expect(parseRepetierTarget("TargetExtr1:0\r")).toEqual({ key: "T1", target: 0 });
    expect(parseRepetierTarget("TargetBed:60")).toEqual({ key: "B", target: 60 });
    expect(parseResponse("TargetExtr0:210")).toEqual({ kind: "other", line: "TargetExtr0:210" });
  });

  it("ignores anything else", () => {
    expect(parseRepetierTarget("TargetBed:")).toBeNull();
    expect(parseRepetierTarget("T:25.00 /0 B:24.50 /0 B@:0 @:0")).toBeNull();
  });
});
