import type { ErrorClass, ResponseOf } from "./types.ts";

/*
 * Marlin `Marlin/src/gcode/queue.cpp` `gcode_line_error()` (the host resends after these):
 *   Error:checksum mismatch, Last Line: 41
 *   Error:Line Number is not Last Line Number+1, Last Line: 41
 *   Error:No Checksum with line number, Last Line: 41
 * and without a resend (the line is dropped; Marlin asks for nothing):
 *   Error:No Line Number with checksum, Last Line: 41
 * Marlin `Marlin/src/module/temperature.cpp` `_temp_error()`:
 *   Error:Thermal Runaway, system stopped! Heater_ID: 0
 *   Error:MAXTEMP triggered, system stopped! Heater_ID: E0
 * Marlin `Marlin/src/MarlinCore.cpp` `kill()` (reaches `halted.ts` first; classified here anyway):
 *   Error:Printer halted. kill() called!
 * Marlin `Marlin/src/sd/cardreader.cpp` `mount()`:
 *   Error:volume.init failed
 *   Error:openRoot failed
 * RepRapFirmware `src/GCodes/GCodes.cpp` (space after the colon):
 *   Error: G0/G1: insufficient axes homed
 * Klipper `klippy/gcode.py` `_respond_error()` (every `!!` line is treated as fatal, like OctoPrint):
 *   !! Must home axis first: 20.000 20.000 0.400 [0.000]
 * Repetier-Firmware `src/ArduinoAVR/Repetier/gcode.cpp` `GCode::reportFatalError()` (`Com::tFatal`):
 *   fatal:Heater sensor defect - Printer stopped and heaters disabled due to this error. Fix error and restart with M999.
 */

/** `…, Last Line: 41` (Marlin `STR_ERR_*` messages end with it). */
const LAST_LINE = /Last Line:\s*(\d+)/i;

/** Needles in lower case, tested in this order; the first hit classifies the message. */
const FATAL = [
  "kill() called",
  "printer halted",
  "thermal runaway",
  "thermal malfunction",
  "maxtemp",
  "mintemp",
  "heating failed",
  "watchdog barked",
  "kill caused",
];
const RECOVERABLE = ["no line number with checksum", "missing linenumber"];
const RESEND = ["line number", "linenumber", "checksum", "format error", "expected line"];
const SD = [
  "volume.init",
  "openroot",
  "workdir",
  "error writing to file",
  "cannot open",
  "open failed",
  "cannot enter",
];
const UNKNOWN_COMMAND = ["unknown command"];

const CLASSES: ReadonlyArray<readonly [ErrorClass, readonly string[]]> = [
  ["fatal", FATAL],
  ["recoverable", RECOVERABLE],
  ["resend", RESEND],
  ["sd", SD],
  ["unknown-command", UNKNOWN_COMMAND],
];

/** The class of an `Error:` message (prefix already removed), case-insensitive. */
export function classifyError(message: string): ErrorClass {
  const lower = message.toLowerCase();
  for (const [errorClass, needles] of CLASSES) {
    for (const needle of needles) if (lower.includes(needle)) return errorClass;
  }
  return "other";
}

function errorResponse(message: string, errorClass: ErrorClass): ResponseOf<"error"> {
  const response: ResponseOf<"error"> = { kind: "error", errorClass, message };
  const lastLine = LAST_LINE.exec(message);
  if (lastLine) response.lastLine = Number(lastLine[1]);
  return response;
}

/** `Error:` (any case), Klipper `!!`, Repetier `fatal:`; `message` is the text after the prefix. */
export function parseError(line: string): ResponseOf<"error"> | null {
  const first = line.charCodeAt(0);
  if (first === 0x21 /* ! */) {
    if (!line.startsWith("!!")) return null;
    return errorResponse(line.slice(2).trim(), "fatal");
  }
  if (first === 0x45 || first === 0x65 /* E, e */) {
    if (line.slice(0, 6).toLowerCase() !== "error:") return null;
    const message = line.slice(6).trim();
    return errorResponse(message, classifyError(message));
  }
  if (first === 0x66 /* f */ && line.startsWith("fatal:")) {
    return errorResponse(line.slice(6).trim(), "fatal");
  }
  return null;
}
