import { toNumber } from "./number.ts";
import type { ResponseOf } from "./types.ts";

/*
 * M114. Everything from `Count` on (stepper counts, machine coordinates) is ignored.
 * Marlin `Marlin/src/gcode/host/M114.cpp` `report_current_position()`:
 *   X:10.00 Y:20.00 Z:0.30 E:1.50 Count X:800 Y:1600 Z:120
 *   X:0.00 Y:0.00 Z:0.00 E0:1.00 E1:2.00                       (per-extruder positions)
 * Prusa-Firmware `Firmware/Marlin_main.cpp` `gcode_M114()`:
 *   X:0.00 Y:0.00 Z:0.15 E:0.00 Count X: 0.00 Y:0.00 Z:0.15 E:0.00
 * RepRapFirmware `src/GCodes/GCodes.cpp` `GetCurrentCoordinates()` (`E:` is the virtual extruder,
 * `E0:`… the drives; when `E<n>:` values are present they are the positions reported):
 *   X:0.000 Y:0.000 Z:0.000 E:0.000 E0:-0.0 Count 0 0 0 Machine 0.000 0.000 0.000 Bed comp 0.000
 * Klipper `klippy/extras/gcode_move.py` `cmd_M114()`:
 *   X:0.000 Y:0.000 Z:0.000 E:0.000
 * Marlin's `M114 D` detail lines (`Logical: X: …`, `Stepper: X:…`) do not start with `X:` and stay
 * `other`.
 */

const NUMBER = String.raw`([-+]?\d*\.?\d+)`;
const XYZ = new RegExp(String.raw`^X:\s*${NUMBER}\s*Y:\s*${NUMBER}\s*Z:\s*${NUMBER}`);
const E_SINGLE = new RegExp(String.raw`(?:^|\s)E:\s*${NUMBER}`);
const E_PER_EXTRUDER = new RegExp(String.raw`(?:^|\s)E\d+:\s*${NUMBER}`, "g");

/**
 * A line starting with `X:… Y:… Z:…`. `e` holds the `E<n>:` values in the order printed when there
 * are any, else the single `E:` value, else nothing (a machine without extruders).
 */
export function parsePosition(line: string): ResponseOf<"position"> | null {
  if (!line.startsWith("X:")) return null;
  const xyz = XYZ.exec(line);
  if (!xyz) return null;
  const x = toNumber(xyz[1] as string);
  const y = toNumber(xyz[2] as string);
  const z = toNumber(xyz[3] as string);
  if (x === null || y === null || z === null) return null;
  const count = line.indexOf("Count");
  const head = count === -1 ? line : line.slice(0, count);
  const e: number[] = [];
  for (const match of head.matchAll(E_PER_EXTRUDER)) {
    const value = toNumber(match[1] as string);
    if (value !== null) e.push(value);
  }
  if (e.length === 0) {
    const single = E_SINGLE.exec(head);
    const value = single ? toNumber(single[1] as string) : null;
    if (value !== null) e.push(value);
  }
  return { kind: "position", x, y, z, e };
}
