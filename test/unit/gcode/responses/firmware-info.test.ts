import { describe, expect, it } from "vitest";
import { parseFirmwareFields, parseFirmwareInfo } from "../../../../server/gcode/responses/firmware-info.ts";
import { parseResponse } from "../../../../server/gcode/responses/parse-response.ts";
import type { Response } from "../../../../server/gcode/responses/types.ts";

function expectBoth(line: string, expected: Response): void {
  expect(parseFirmwareInfo(line.trim())).toEqual(expected);
  expect(parseResponse(line)).toEqual(expected);
}

describe("parseFirmwareInfo", () => {
  it("reads Marlin M115 (values with blanks)", () => {
    expectBoth(
      "FIRMWARE_NAME:Marlin 2.1.2.1 (Github) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:3D Printer EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff",
      {
        kind: "firmware-info",
        firmwareName: "Marlin 2.1.2.1 (Github)",
        fields: {
          FIRMWARE_NAME: "Marlin 2.1.2.1 (Github)",
          SOURCE_CODE_URL: "github.com/MarlinFirmware/Marlin",
          PROTOCOL_VERSION: "1.0",
          MACHINE_TYPE: "3D Printer",
          EXTRUDER_COUNT: "1",
          UUID: "cede2a2f-41a2-4748-9b12-c55c62f367ff",
        },
      },
    );
  });

  it("reads Prusa-Firmware M115", () => {
    expectBoth(
      "FIRMWARE_NAME:Prusa-Firmware 3.13.2 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 MK3S EXTRUDER_COUNT:1 UUID:00000000-0000-0000-0000-000000000000",
      {
        kind: "firmware-info",
        firmwareName: "Prusa-Firmware 3.13.2 based on Marlin",
        fields: {
          FIRMWARE_NAME: "Prusa-Firmware 3.13.2 based on Marlin",
          FIRMWARE_URL: "https://github.com/prusa3d/Prusa-Firmware",
          PROTOCOL_VERSION: "1.0",
          MACHINE_TYPE: "Prusa i3 MK3S",
          EXTRUDER_COUNT: "1",
          UUID: "00000000-0000-0000-0000-000000000000",
        },
      },
    );
  });

  it("reads Klipper M115, bare and as the ok that acknowledges it", () => {
    const info: Response = {
      kind: "firmware-info",
      firmwareName: "Klipper",
      fields: { FIRMWARE_NAME: "Klipper", FIRMWARE_VERSION: "v0.12.0-85-gd785b396" },
    };
    expectBoth("FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-85-gd785b396", info);
    expectBoth("// FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-85-gd785b396", info);
    const acknowledged = "ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-85-gd785b396";
    expect(parseResponse(acknowledged)).toEqual({ kind: "ok" });
    expect(parseFirmwareInfo(acknowledged)).toEqual(info);
  });

  it("reads RepRapFirmware M115 (a blank after each colon)", () => {
    expectBoth(
      "FIRMWARE_NAME: RepRapFirmware for Duet 3 MB6HC FIRMWARE_VERSION: 3.4.5 ELECTRONICS: Duet 3 MB6HC v1.01 FIRMWARE_DATE: 2022-11-30 19:36:12",
      {
        kind: "firmware-info",
        firmwareName: "RepRapFirmware for Duet 3 MB6HC",
        fields: {
          FIRMWARE_NAME: "RepRapFirmware for Duet 3 MB6HC",
          FIRMWARE_VERSION: "3.4.5",
          ELECTRONICS: "Duet 3 MB6HC v1.01",
          FIRMWARE_DATE: "2022-11-30 19:36:12",
        },
      },
    );
  });

  it("reads Smoothieware M115 (commas, X- keys)", () => {
    expectBoth(
      "FIRMWARE_NAME:Smoothieware, FIRMWARE_URL:http%3A//smoothieware.org, X-SOURCE_CODE_URL:https://github.com/Smoothieware/Smoothieware, FIRMWARE_VERSION:edge-3332442, X-FIRMWARE_BUILD_DATE:Jun 22 2020 21:51:07, X-SYSTEM_CLOCK:100MHz, X-AXES:5, X-GRBL_MODE:0, X-ARCS:1",
      {
        kind: "firmware-info",
        firmwareName: "Smoothieware",
        fields: {
          FIRMWARE_NAME: "Smoothieware",
          FIRMWARE_URL: "http%3A//smoothieware.org",
          "X-SOURCE_CODE_URL": "https://github.com/Smoothieware/Smoothieware",
          FIRMWARE_VERSION: "edge-3332442",
          "X-FIRMWARE_BUILD_DATE": "Jun 22 2020 21:51:07",
          "X-SYSTEM_CLOCK": "100MHz",
          "X-AXES": "5",
          "X-GRBL_MODE": "0",
          "X-ARCS": "1",
        },
      },
    );
  });

  it("reads Repetier M115", () => {
    expectBoth(
      "FIRMWARE_NAME:Repetier_1.0.4 COMPILED:Sep 28 2020 PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 EXTRUDER_COUNT:1 REPETIER_PROTOCOL:3",
      {
        kind: "firmware-info",
        firmwareName: "Repetier_1.0.4",
        fields: {
          FIRMWARE_NAME: "Repetier_1.0.4",
          COMPILED: "Sep 28 2020",
          PROTOCOL_VERSION: "1.0",
          MACHINE_TYPE: "Prusa i3",
          EXTRUDER_COUNT: "1",
          REPETIER_PROTOCOL: "3",
        },
      },
    );
  });

  it("reads Malyan's `NAME.` line", () => {
    expectBoth("NAME. Malyan VER: 3.8", {
      kind: "firmware-info",
      firmwareName: "Malyan 3.8",
      fields: { NAME: "Malyan", VER: "3.8" },
    });
    expectBoth("NAME. Malyan VER: 3.7 MODEL: M200 HW: HA02", {
      kind: "firmware-info",
      firmwareName: "Malyan 3.7",
      fields: { NAME: "Malyan", VER: "3.7", MODEL: "M200", HW: "HA02" },
    });
  });

  it("ignores lines without a FIRMWARE_NAME key", () => {
    expect(parseFirmwareInfo("Marlin 2.1.2.1")).toBeNull();
    expect(parseFirmwareInfo("xFIRMWARE_NAME:Marlin")).toBeNull();
    expect(parseFirmwareInfo("NAME.")).toBeNull();
  });

  it("keeps the first occurrence of a key", () => {
    expect(parseFirmwareFields("A:1 B:2 A:3")).toEqual({ A: "1", B: "2" });
  });
});
