import { describe, expect, it } from "vitest";
import { parseAction } from "../../../../server/gcode/responses/action.ts";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";

describe("parseAction", () => {
  it.each([
    ["//action:pause", "pause", ""],
    ["//action:resume", "resume", ""],
    ["//action:cancel", "cancel", ""],
    ["//action:paused", "paused", ""],
    ["//action:resumed", "resumed", ""],
    ["//action:disconnect", "disconnect", ""],
    ["//action:notification Filament runout T0", "notification", "Filament runout T0"],
    ["//action:prompt_begin Nozzle Parked", "prompt_begin", "Nozzle Parked"],
    ["//action:prompt_button Continue\r", "prompt_button", "Continue"],
    ["// action:pause", "pause", ""],
  ])("reads %j", (line, action, params) => {
    expect(parseAction(line.trim())).toEqual({ kind: "action", action, params });
    expect(parseResponse(line)).toEqual({ kind: "action", action, params });
  });

  it("does not take an echo-prefixed action", () => {
    expect(parseAction("echo://action:pause")).toBeNull();
    expect(parseResponse("echo://action:pause")).toEqual({ kind: "echo", message: "//action:pause" });
  });

  it("needs an action name", () => {
    expect(parseAction("//action:")).toBeNull();
    expect(parseAction("// Klipper state: Ready")).toBeNull();
  });
});
