import type { ResponseOf } from "./types.ts";

/*
 * Marlin `Marlin/src/MarlinCore.cpp` `setup()` and Repetier-Firmware
 * `src/ArduinoAVR/Repetier/Printer.cpp` print this once after a (re)boot:
 *   start
 */

/** Exactly `start` (after trimming): the firmware (re)booted. */
export function parseStart(line: string): ResponseOf<"start"> | null {
  return line === "start" ? { kind: "start" } : null;
}
