import type { ResponseOf } from "./types.ts";

/*
 * Marlin `Marlin/src/gcode/queue.cpp` `get_serial_commands()` with NO_TIMEOUTS, and
 * Repetier-Firmware `src/ArduinoAVR/Repetier/gcode.cpp` (idle, waiting for a command):
 *   wait
 */

/** Exactly `wait` (after trimming). */
export function parseWait(line: string): ResponseOf<"wait"> | null {
  return line === "wait" ? { kind: "wait" } : null;
}
