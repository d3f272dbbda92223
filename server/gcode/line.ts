/**
 * The G-code line protocol, as pure functions.
 *
 * Wire format (Marlin `queue.cpp` `get_serial_commands()`, RepRap wiki "Checking"):
 *   N<line number> <command>*<checksum>\n
 * where the checksum is the XOR of every byte before `*`, written in decimal (0..255).
 */

/** A host command ends at the first `;` (comment). Runs of blanks fold into one space. */
export function stripComment(raw: string): string {
  const semicolon = raw.indexOf(";");
  const code = semicolon === -1 ? raw : raw.slice(0, semicolon);
  return code.replace(/[ \t\r\n]+/g, " ").trim();
}

/** XOR of the bytes of `text` (ASCII; the firmware sees bytes, so non-ASCII is rejected upstream). */
export function checksum(text: string): number {
  let cs = 0;
  for (let i = 0; i < text.length; i++) cs ^= text.charCodeAt(i) & 0xff;
  return cs;
}

/** `formatLine(12, "G1 X5")` → `"N12 G1 X5*86\n"`. */
export function formatLine(lineNumber: number, command: string): string {
  const body = `N${lineNumber} ${command}`;
  return `${body}*${checksum(body)}\n`;
}

/** `M110 N<n>` makes the firmware expect `n + 1` next; sent itself as line `n`. */
export function renumberCommand(lineNumber: number): string {
  return `M110 N${lineNumber}`;
}

/**
 * The longest wire line (without the `\n`) that `command` can take when numbered up to
 * `maxLineNumber`: `N` + digits + space + command + `*` + up to three checksum digits.
 */
export function wireLengthBound(command: string, maxLineNumber: number): number {
  return numberedLengthBound(command.length, maxLineNumber);
}

/** `wireLengthBound` for a command of `commandLength` characters. */
export function numberedLengthBound(commandLength: number, maxLineNumber: number): number {
  return 1 + String(maxLineNumber).length + 1 + commandLength + 4;
}

/**
 * Marlin keeps `MAX_CMD_SIZE - 1` characters of a line (one byte holds the terminator) and drops
 * the rest without telling the host, so a longer line must never be sent.
 */
export function fitsLineBuffer(command: string, maxLineNumber: number, maxLineLength: number): boolean {
  return wireLengthBound(command, maxLineNumber) <= maxLineLength - 1;
}

const CODE = /^([GMT])(\d+)(?:\.\d+)?/i;

/** The command's code, upper-case, e.g. `"G1"`, `"M109"`, `"T0"`; null for anything else. */
export function commandCode(command: string): string | null {
  const match = CODE.exec(command);
  if (!match) return null;
  return `${(match[1] as string).toUpperCase()}${Number(match[2])}`;
}

/** Non-ASCII bytes are not G-code; firmware checksums and parsers are byte-based. */
export function isAscii(command: string): boolean {
  for (let i = 0; i < command.length; i++) if (command.charCodeAt(i) > 0x7e) return false;
  return true;
}
