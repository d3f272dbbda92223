import { ECHO_PREFIX } from "./number.ts";
import type { ResponseOf } from "./types.ts";

/*
 * Marlin `SERIAL_ECHO_START()` messages (`Marlin/src/core/serial.h`). Runs after `busy.ts` and
 * `sd.ts`, which claim `echo:busy: …` and `echo:SD card ok`.
 * Marlin `Marlin/src/gcode/gcode.cpp` `unknown_command_warning()`:
 *   echo:Unknown command: "G999"
 * Marlin `Marlin/src/module/settings.cpp` (M503 report):
 *   echo:  M92 X80.00 Y80.00 Z400.00 E93.00
 * Marlin `Marlin/src/MarlinCore.cpp` `setup()` (boot banner):
 *   echo: Free Memory: 5095  PlannerBufferBytes: 1312
 */

const UNKNOWN_COMMAND = /^Unknown command:\s*"(.*)"/;

/** `message` is the text after `echo:`, trimmed; `unknownCommand` the quoted command, if any. */
export function parseEcho(line: string): ResponseOf<"echo"> | null {
  if (!line.startsWith(ECHO_PREFIX)) return null;
  const message = line.slice(ECHO_PREFIX.length).trim();
  const unknown = UNKNOWN_COMMAND.exec(message);
  if (unknown) return { kind: "echo", message, unknownCommand: unknown[1] as string };
  return { kind: "echo", message };
}
