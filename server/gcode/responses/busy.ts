import { stripEchoPrefix } from "./number.ts";
import type { ResponseOf } from "./types.ts";

/*
 * Marlin HOST_KEEPALIVE_FEATURE, `Marlin/src/gcode/gcode.cpp` `host_keepalive()` (`STR_BUSY_*` in
 * `Marlin/src/core/language.h`); Marlin 2 prints them as echo messages, Marlin 1.1 bare:
 *   echo:busy: processing
 *   busy: processing
 *   busy: paused for user
 *   echo:busy: paused for input
 * Runs before `echo.ts`.
 */

const BUSY = "busy:";

/** `reason` is the text after `busy:`, trimmed. */
export function parseBusy(line: string): ResponseOf<"busy"> | null {
  const text = stripEchoPrefix(line);
  if (!text.startsWith(BUSY)) return null;
  return { kind: "busy", reason: text.slice(BUSY.length).trim() };
}
