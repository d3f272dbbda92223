/**
 * Line-number and checksum checks, in Marlin's order (`Marlin/src/gcode/queue.cpp`,
 * `get_serial_commands()`): a line that starts with `N` must carry the next number (unless it is an
 * M110) and a `*` checksum that matches; a line with `*` but no `N` is rejected as in Marlin 1.1
 * (`MSG_ERR_NO_LINENUMBER_WITH_CHECKSUM`, `Marlin_main.cpp`).
 */

/** Texts follow `Marlin/src/core/language.h`; the firmware appends `last_N`. */
export const LINE_ERRORS = {
  lineNumber: "Line Number is not Last Line Number+1, Last Line: ",
  checksum: "checksum mismatch, Last Line: ",
  noChecksum: "No Checksum with line number, Last Line: ",
  noLineNumber: "No Line Number with checksum, Last Line: ",
} as const;

export type LineCheck = { ok: true; lineNumber: number | null } | { ok: false; error: string };

const UNNUMBERED: LineCheck = { ok: true, lineNumber: null };

/** `line` starts at its first non-blank byte, as Marlin's `command` pointer does. */
export function checkLine(line: string, lastN: number): LineCheck {
  if (line.charCodeAt(0) !== 0x4e /* N */) {
    return line.includes("*") ? { ok: false, error: LINE_ERRORS.noLineNumber } : UNNUMBERED;
  }
  // `strstr(command, "M110")`; its own `N` argument (searched from the 5th byte) is the new number.
  const isM110 = line.includes("M110");
  let numberAt = 1;
  if (isM110) {
    const n2 = line.indexOf("N", 4);
    if (n2 !== -1) numberAt = n2 + 1;
  }
  const n = strtol(line, numberAt);
  if (n !== lastN + 1 && !isM110) return { ok: false, error: LINE_ERRORS.lineNumber };
  const star = line.lastIndexOf("*");
  if (star === -1) return { ok: false, error: LINE_ERRORS.noChecksum };
  if (strtol(line, star + 1) !== xorChecksum(line, star)) return { ok: false, error: LINE_ERRORS.checksum };
  return { ok: true, lineNumber: n };
}

/** XOR of the first `end` bytes. */
export function xorChecksum(text: string, end: number): number {
  let cs = 0;
  for (let i = 0; i < end; i++) cs ^= text.charCodeAt(i) & 0xff;
  return cs;
}

/** C `strtol(s + from, nullptr, 10)`: blanks, an optional sign, digits; 0 when there are none. */
export function strtol(s: string, from: number): number {
  let i = from;
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  let sign = 1;
  const c = s.charCodeAt(i);
  if (c === 0x2d || c === 0x2b) {
    if (c === 0x2d) sign = -1;
    i++;
  }
  let value = 0;
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  return sign * value;
}

function isBlank(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
