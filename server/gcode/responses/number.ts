/**
 * Decimal text from a firmware line (`210.0`, `-0.0`, `.5`, `+1.00`) as a number. `-0` folds to `0`
 * (RepRapFirmware prints `E0:-0.0`); text that is not a finite number gives null.
 */
export function toNumber(text: string): number | null {
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value;
}

/** Marlin `SERIAL_ECHO_START()` prefix (`Marlin/src/core/serial.h`). */
export const ECHO_PREFIX = "echo:";

/** `echo:SD card ok` → `SD card ok`; a line without the prefix is returned as is. */
export function stripEchoPrefix(line: string): string {
  return line.startsWith(ECHO_PREFIX) ? line.slice(ECHO_PREFIX.length).trimStart() : line;
}
