import type { ResponseOf } from "./types.ts";

/*
 * Marlin `Marlin/src/gcode/queue.cpp` `flush_and_request_resend()`:   Resend: 123
 * Repetier-Firmware `src/ArduinoAVR/Repetier/gcode.cpp`:               Resend:123
 * Other firmwares / forks (OctoPrint's `comm.py` accepts all):         Resend: N123
 * Smoothieware `src/modules/communication/GcodeDispatch.cpp`:         rs N123
 *                                                                     rs 123
 */

/** OctoPrint's `regex_resend_linenumber` `(N|N:)?(\d+)`: the first number on the line. */
const RESEND_NUMBER = /(?:N:?)?(\d+)/;

/** Lower-cased line starting with `resend` or `rs`, with a line number somewhere after it. */
export function parseResend(line: string): ResponseOf<"resend"> | null {
  const first = line.charCodeAt(0);
  if (first !== 0x52 && first !== 0x72) return null; // R, r
  const head = line.slice(0, 6).toLowerCase();
  if (!head.startsWith("resend") && !head.startsWith("rs")) return null;
  const match = RESEND_NUMBER.exec(line);
  if (!match) return null;
  return { kind: "resend", lineNumber: Number(match[1]) };
}
