import { isTemperatureLine, parseTemperatureReport } from "./temperature.ts";
import type { ResponseOf } from "./types.ts";

/*
 * Marlin `Marlin/src/gcode/queue.cpp` `ok_to_send()`:
 *   ok
 *   ok N1682 P114 B63          (ADVANCED_OK: line number, planner slots free, command buffer free)
 *   ok P15 B3                  (ADVANCED_OK, the command had no line number)
 * Marlin `Marlin/src/gcode/temp/M105.cpp` / Prusa-Firmware `Firmware/Marlin_main.cpp`:
 *   ok T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0
 * Klipper `klippy/extras/heaters.py` via `gcmd.ack()` (`klippy/gcode.py`), only numbered tools:
 *   ok B:60.0 /60.0 T0:210.0 /210.0
 * RepRapFirmware `src/GCodes/GCodes.cpp` `GenerateTemperatureReport()`:
 *   ok T:25.0 /0.0 B:24.6 /0.0
 * Smoothieware `src/modules/tools/temperaturecontrol/TemperatureControl.cpp`:
 *   ok T:21.3 /0.0 @0 B:21.1 /0.0 @0
 * Repetier-Firmware `src/ArduinoAVR/Repetier/Communication.cpp` (line number acknowledged):
 *   ok 123
 * Klipper M115 (`klippy/gcode.py` `cmd_M115`) acknowledges with the identity on the same line:
 *   ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0-85-gd785b396
 * which stays an `ok` here (the acknowledgement must not be lost); read the identity from it with
 * `parseFirmwareInfo(line)`.
 */

const REPETIER_LINE_NUMBER = /^\d+$/;
const ADVANCED_OK_TOKEN = /^([NPB])(\d+)$/;
const BLANKS = /\s+/;

/** `N…`/`P…`/`B…` tokens only (ADVANCED_OK); null when any other token is present. */
function parseAdvancedOk(rest: string): ResponseOf<"ok"> | null {
  const response: ResponseOf<"ok"> = { kind: "ok" };
  for (const token of rest.split(BLANKS)) {
    const match = ADVANCED_OK_TOKEN.exec(token);
    if (!match) return null;
    const value = Number(match[2]);
    if (match[1] === "N") response.lineNumber = value;
    else if (match[1] === "P") response.plannerFree = value;
    else response.bufferFree = value;
  }
  return response;
}

/** A line that starts with `ok` (case-sensitive, as OctoPrint's `comm.py` reads it). */
export function parseOk(line: string): ResponseOf<"ok"> | null {
  if (!line.startsWith("ok")) return null;
  const rest = line.slice(2).trim();
  if (rest === "") return { kind: "ok" };
  if (REPETIER_LINE_NUMBER.test(rest)) return { kind: "ok", lineNumber: Number(rest) };
  const advanced = parseAdvancedOk(rest);
  if (advanced !== null) return advanced;
  if (isTemperatureLine(rest)) {
    const temperatures = parseTemperatureReport(rest);
    if (temperatures !== null) return { kind: "ok", temperatures };
  }
  return { kind: "ok" };
}
