import type { ResponseOf } from "./types.ts";

/*
 * Marlin EXTENDED_CAPABILITIES_REPORT, `Marlin/src/gcode/host/M115.cpp` `cap_line()`, one line each
 * after the `FIRMWARE_NAME:` line:
 *   Cap:AUTOREPORT_TEMP:1
 *   Cap:EMERGENCY_PARSER:0
 */

const CAPABILITY = /^Cap:([A-Za-z0-9_]+):\s*(\d+)/;

/** `Cap:<NAME>:<0|1>`; any non-zero value counts as enabled. */
export function parseCapability(line: string): ResponseOf<"capability"> | null {
  if (!line.startsWith("Cap:")) return null;
  const match = CAPABILITY.exec(line);
  if (!match) return null;
  return { kind: "capability", name: match[1] as string, enabled: Number(match[2]) !== 0 };
}
