import type { ResponseOf } from "./types.ts";

/*
 * M115 identity line: KEY:value pairs, values may contain blanks.
 * Marlin `Marlin/src/gcode/host/M115.cpp`:
 *   FIRMWARE_NAME:Marlin 2.1.2.1 (Github) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:3D Printer EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff
 * Prusa-Firmware `Firmware/Marlin_main.cpp` (M115):
 *   FIRMWARE_NAME:Prusa-Firmware 3.13.2 based on Marlin FIRMWARE_URL:https://github.com/prusa3d/Prusa-Firmware PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 MK3S EXTRUDER_COUNT:1 UUID:00000000-0000-0000-0000-000000000000
 * Klipper `klippy/gcode.py` `cmd_M115()` (`ok ` in front when it acknowledges the M115, see `ok.ts`):
 *   FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-85-gd785b396
 * RepRapFirmware `src/GCodes/GCodes2.cpp` (M115; a blank after each colon):
 *   FIRMWARE_NAME: RepRapFirmware for Duet 3 MB6HC FIRMWARE_VERSION: 3.4.5 ELECTRONICS: Duet 3 MB6HC v1.01 FIRMWARE_DATE: 2022-11-30 19:36:12
 * Smoothieware `src/modules/communication/GcodeDispatch.cpp` (comma-separated, `X-` keys):
 *   FIRMWARE_NAME:Smoothieware, FIRMWARE_URL:http%3A//smoothieware.org, X-SOURCE_CODE_URL:https://github.com/Smoothieware/Smoothieware, FIRMWARE_VERSION:edge-3332442, X-FIRMWARE_BUILD_DATE:Jun 22 2020 21:51:07, X-SYSTEM_CLOCK:100MHz, X-AXES:5, X-GRBL_MODE:0, X-ARCS:1
 * Repetier-Firmware `src/ArduinoAVR/Repetier/Commands.cpp` (M115):
 *   FIRMWARE_NAME:Repetier_1.0.4 COMPILED:Sep 28 2020 PROTOCOL_VERSION:1.0 MACHINE_TYPE:Prusa i3 EXTRUDER_COUNT:1 REPETIER_PROTOCOL:3
 * Malyan M200 (closed firmware; OctoPrint's `comm.py` `parse_firmware_line()` rewrites `NAME.`):
 *   NAME. Malyan VER: 3.7 MODEL: M200 HW: HA02
 */

/**
 * A key is an upper-case word (`-` allowed for Smoothieware's `X-…` keys) followed by `:`, at the
 * start or after blanks; values like `19:36:12` or `https://…` never start a key.
 */
const KEY = /(?:^|\s)([A-Z][A-Z0-9_-]*):/g;
const FIRMWARE_NAME = "FIRMWARE_NAME:";
const MALYAN_NAME = "NAME.";

/**
 * The KEY:value pairs of an M115 line; text before the first key (`ok `, `// `) is ignored, the
 * first occurrence of a key wins, trailing commas (Smoothieware) are dropped from values.
 */
/** `value` without surrounding blanks and trailing commas (Smoothieware `Smoothieware, `). */
function cleanValue(value: string): string {
  let end = value.length;
  while (end > 0) {
    const code = value.charCodeAt(end - 1);
    if (code !== 0x2c /* , */ && code !== 0x20 && code !== 0x09) break;
    end--;
  }
  return value.slice(0, end).trim();
}

export function parseFirmwareFields(text: string): Record<string, string> {
  const keys = Array.from(text.matchAll(KEY));
  const fields: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as RegExpExecArray;
    const next = keys[i + 1];
    const name = key[1] as string;
    if (Object.hasOwn(fields, name)) continue;
    const valueStart = key.index + key[0].length;
    const valueEnd = next === undefined ? text.length : next.index;
    fields[name] = cleanValue(text.slice(valueStart, valueEnd));
  }
  return fields;
}

/**
 * Any line containing `FIRMWARE_NAME:` (also Klipper's `ok FIRMWARE_NAME:…`, which `parseResponse`
 * reports as `ok`), and Malyan's `NAME. … VER: …` (`firmwareName` is `"<NAME> <VER>"`).
 */
export function parseFirmwareInfo(line: string): ResponseOf<"firmware-info"> | null {
  if (line.includes(FIRMWARE_NAME)) {
    const fields = parseFirmwareFields(line);
    const firmwareName = Object.hasOwn(fields, "FIRMWARE_NAME") ? fields.FIRMWARE_NAME : undefined;
    if (firmwareName === undefined) return null;
    return { kind: "firmware-info", firmwareName, fields };
  }
  if (line.startsWith(MALYAN_NAME)) {
    const fields = parseFirmwareFields(`NAME:${line.slice(MALYAN_NAME.length)}`);
    const name = fields.NAME ?? "";
    const version = fields.VER ?? "";
    if (name === "") return null;
    return { kind: "firmware-info", firmwareName: `${name} ${version}`.trim(), fields };
  }
  return null;
}
