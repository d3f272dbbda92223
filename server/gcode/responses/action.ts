import type { ResponseOf } from "./types.ts";

/*
 * Marlin `Marlin/src/feature/host_actions.cpp` (`//action:` + name + optional space and text):
 *   //action:pause
 *   //action:resume
 *   //action:cancel
 *   //action:paused
 *   //action:resumed
 *   //action:disconnect
 *   //action:notification Filament runout T0
 *   //action:prompt_begin Nozzle Parked
 * Klipper prints `M118 action:pause` as an info line (`klippy/gcode.py` `respond_info()` adds `// `):
 *   // action:pause
 * Blanks between `//` and `action:` are accepted, as OctoPrint's `comm.py` does. An `echo:` prefix is
 * not: Marlin prints the prefix bare, so `echo://action:…` is an echo line.
 */

const ACTION = /^\/\/\s*action:(\S+)\s*(.*)$/;

/** `action` is the word after `action:`; `params` the rest of the line, trimmed (may be empty). */
export function parseAction(line: string): ResponseOf<"action"> | null {
  if (!line.startsWith("//")) return null;
  const match = ACTION.exec(line);
  if (!match) return null;
  return { kind: "action", action: match[1] as string, params: (match[2] as string).trim() };
}
