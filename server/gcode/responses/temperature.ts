import { toNumber } from "./number.ts";
import type { HeaterReading, ResponseOf, TemperatureReport } from "./types.ts";

/*
 * Temperature reports that are not an `ok` (M105 answers that carry `ok` go through `ok.ts`).
 *
 * Marlin `Marlin/src/module/temperature.cpp` `print_heater_states()` (M155 auto-report, M105):
 *    T:210.0 /210.0 B:60.0 /60.0 @:127 B@:0
 *    T:210.0 /210.0 T0:210.0 /210.0 T1:25.3 /0.0 B:60.0 /60.0 @:127 B@:0 @0:127 @1:0
 *    T:210.0 /210.0 B:60.0 /60.0 C:35.0 /40.0 @:127 B@:0 C@:0        (HAS_HEATED_CHAMBER)
 * Marlin `wait_for_hotend()` (M109/M190 progress; `W:` is the residency countdown or `?`):
 *    T:185.3 /210.0 B:59.6 /60.0 @:127 B@:0 W:3
 *    T:183.43 E:0 W:?                                                 (Marlin 1.0: `E:` = tool)
 * Prusa-Firmware `Firmware/Marlin_main.cpp` (`P:` PINDA, `A:` ambient):
 *   T:215.0 /215.0 B:60.0 /60.0 T0:215.0 /215.0 @:45 B@:21 P:35.9 A:40.1
 * Repetier-Firmware `src/ArduinoAVR/Repetier/Commands.cpp` `printTemperatures()`:
 *   T:25.00 /0 B:24.50 /0 B@:0 @:0
 * Smoothieware `src/modules/tools/temperaturecontrol/TemperatureControl.cpp`
 * (`"%s:%3.1f /%3.1f @%d "`: `@<pwm>` with no colon belongs to the heater before it):
 *   T:210.0 /210.0 @0 T1:25.0 /0.0 @0 B:60.0 /60.0 @0
 */

/** A temperature line has `T:`, `T<n>:` or `B:` as a word; `T:abc` passes here and fails below. */
const TEMPERATURE_LINE = /(?:^|\s)(?:T\d*|B):/;

/**
 * OctoPrint's sensor pattern (`src/octoprint/util/comm.py`): a name, `:`, the actual value, and an
 * optional `/target`. OctoPrint's separator `\s*\/?\s*` is written `\s*\/\s*|\s+` (no quadratic
 * backtracking on long blank runs). `@:64`, `B@:0` and `W:?` never match (no letter run before `:`,
 * or no number after it).
 */
const SENSOR = /(?:^|\s)(B|C|T\d*|[A-Za-z]\w*):\s*(-?\d*\.?\d+)(?:(?:\s*\/\s*|\s+)(-?\d*\.?\d+))?/g;

/** `E:0` (Marlin 1.0 M109 active tool) and `W:3` (M109 residency seconds) are not sensors. */
const NOT_SENSORS: ReadonlySet<string> = new Set(["E", "W"]);

/** Marlin power: `@:127` current tool, `B@:0` bed, `C@:0` chamber, `@0:127` / `@1:0` per tool. */
const MARLIN_POWER = /(?:^|\s)([A-Za-z]?)@(\d*):\s*(-?\d+)/g;

/** Smoothieware power right after a reading: `T:21.3 /0.0 @0` (not `@0:127`, which is Marlin's). */
const SMOOTHIE_POWER = /\s*@(\d+)(?![\d:.])/y;

/** True when `text` looks like a temperature report (`T:`, `T0:`, `B:` as a word). */
export function isTemperatureLine(text: string): boolean {
  return TEMPERATURE_LINE.test(text);
}

/** Every sensor in `text`; the first occurrence of a name wins. Null when none parses. */
export function parseTemperatureReport(text: string): TemperatureReport | null {
  const report: TemperatureReport = {};
  let found = false;
  for (const match of text.matchAll(SENSOR)) {
    const name = match[1] as string;
    if (NOT_SENSORS.has(name) || Object.hasOwn(report, name)) continue;
    const actual = toNumber(match[2] as string);
    if (actual === null) continue;
    const targetText = match[3];
    const reading: HeaterReading = { actual, target: targetText === undefined ? null : toNumber(targetText) };
    SMOOTHIE_POWER.lastIndex = match.index + match[0].length;
    const smoothie = SMOOTHIE_POWER.exec(text);
    if (smoothie) reading.power = Number(smoothie[1]);
    report[name] = reading;
    found = true;
  }
  if (!found) return null;
  if (text.includes("@")) {
    for (const match of text.matchAll(MARLIN_POWER)) {
      const prefix = match[1] as string;
      const tool = match[2] as string;
      const name = prefix !== "" ? prefix : `T${tool}`;
      const reading = Object.hasOwn(report, name) ? report[name] : undefined;
      if (reading !== undefined && reading.power === undefined) reading.power = Number(match[3]);
    }
  }
  return report;
}

/**
 * A temperature line that is not an `ok`. Runs after `position.ts` (M114 lines never reach it) and
 * after `echo.ts`. Repetier's target-only `TargetExtr0:210` / `TargetBed:60` lines carry no `T:`/`B:`
 * and stay `other` (see `repetier-target.ts`).
 */
export function parseTemperature(line: string): ResponseOf<"temperature"> | null {
  if (!isTemperatureLine(line)) return null;
  const temperatures = parseTemperatureReport(line);
  return temperatures === null ? null : { kind: "temperature", temperatures };
}
