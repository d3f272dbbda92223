import { toNumber } from "./number.ts";

/*
 * Repetier-Firmware `src/ArduinoAVR/Repetier/Extruder.cpp` (`Com::tTargetExtr`, `Com::tTargetBedColon`)
 * announces a new target on its own line when M104/M140/M109/M190 set one:
 *   TargetExtr0:210
 *   TargetBed:60
 * A `HeaterReading` needs an actual value, which these lines lack, so `parseResponse` leaves them as
 * `other` (they have no `T:`/`B:`). A caller that wants the target reads it with this helper, which
 * `parseResponse` does not use.
 */

const TARGET_EXTRUDER = /^TargetExtr(\d+):\s*(-?\d*\.?\d+)/;
const TARGET_BED = /^TargetBed:\s*(-?\d*\.?\d+)/;

/** `TargetExtr0:210` → `{ key: "T0", target: 210 }`, `TargetBed:60` → `{ key: "B", target: 60 }`. */
export function parseRepetierTarget(line: string): { key: string; target: number } | null {
  const text = line.trim();
  if (!text.startsWith("Target")) return null;
  const extruder = TARGET_EXTRUDER.exec(text);
  if (extruder) {
    const target = toNumber(extruder[2] as string);
    return target === null ? null : { key: `T${Number(extruder[1])}`, target };
  }
  const bed = TARGET_BED.exec(text);
  const target = bed ? toNumber(bed[1] as string) : null;
  return target === null ? null : { key: "B", target };
}
