import { describe, expect, it } from "vitest";
import { parseCapability } from "../../../../server/gcode/responses/capability.ts";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";

describe("parseCapability", () => {
  it.each([
    ["Cap:AUTOREPORT_TEMP:1", "AUTOREPORT_TEMP", true],
    ["Cap:EMERGENCY_PARSER:0", "EMERGENCY_PARSER", false],
    ["Cap:HOST_ACTION_COMMANDS:1\r", "HOST_ACTION_COMMANDS", true],
  ])("reads %j", (line, name, enabled) => {
    expect(parseCapability(line.trim())).toEqual({ kind: "capability", name, enabled });
    expect(parseResponse(line)).toEqual({ kind: "capability", name, enabled });
  });

  it("needs a numeric value", () => {
    expect(parseCapability("Cap:AUTOREPORT_TEMP:")).toBeNull();
    expect(parseCapability("Cap:")).toBeNull();
    expect(parseCapability("cap:EEPROM:1")).toBeNull();
  });
});
