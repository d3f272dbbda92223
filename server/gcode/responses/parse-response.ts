import { parseAction } from "./action.ts";
import { parseBusy } from "./busy.ts";
import { parseCapability } from "./capability.ts";
import { parseEcho } from "./echo.ts";
import { parseError } from "./error.ts";
import { parseFirmwareInfo } from "./firmware-info.ts";
import { parseHalted } from "./halted.ts";
import { parseOk } from "./ok.ts";
import { parsePosition } from "./position.ts";
import { parseResend } from "./resend.ts";
import { parseSd } from "./sd.ts";
import { parseStart } from "./start.ts";
import { parseTemperature } from "./temperature.ts";
import type { Response } from "./types.ts";
import { parseWait } from "./wait.ts";

export { canonicalizeTemperatures } from "./canonicalize-temperatures.ts";

/** One small pure parser: the response for a trimmed line, or null when the line is not its kind. */
export type ResponseParser = (line: string) => Response | null;

/**
 * Tried in this order; the first non-null answer wins.
 *  1. ok          `ok T:210.0 /210.0 …` is an ok carrying temperatures; Klipper's
 *                 `ok FIRMWARE_NAME:Klipper …` is an ok too (the acknowledgement must not be lost).
 *  2. halted      before error: `Error:Printer halted. kill() called!`, Klipper `!! Shutdown due to …`.
 *  3. error       `Error:…`, `!!…`, `fatal:…` (so `Error:volume.init failed` is an error of class sd).
 *  4. resend      `Resend: 41`, `rs N41`.
 *  5. busy        before echo: `echo:busy: processing`.
 *  6. wait, 7. start   exact words.
 *  8. action      `//action:pause`, Klipper `// action:pause`.
 *  9. firmware-info    any line with `FIRMWARE_NAME:`, Malyan `NAME. …`.
 * 10. capability  `Cap:AUTOREPORT_TEMP:1`.
 * 11. sd          before echo: `echo:SD card ok`.
 * 12. echo        `echo:Unknown command: "G999"` and every other `echo:` line.
 * 13. position    before temperature: M114 lines start with `X:`.
 * 14. temperature lines with `T:`, `T<n>:` or `B:` that none of the above claimed.
 * Anything else is `{ kind: "other" }`.
 */
export const RESPONSE_PARSERS: readonly ResponseParser[] = [
  parseOk,
  parseHalted,
  parseError,
  parseResend,
  parseBusy,
  parseWait,
  parseStart,
  parseAction,
  parseFirmwareInfo,
  parseCapability,
  parseSd,
  parseEcho,
  parsePosition,
  parseTemperature,
];

/** The line without its terminator (`\r` from `\r\n` firmwares), otherwise verbatim. */
function withoutTerminator(line: string): string {
  let end = line.length;
  while (end > 0) {
    const code = line.charCodeAt(end - 1);
    if (code !== 0x0d && code !== 0x0a) break;
    end--;
  }
  return end === line.length ? line : line.slice(0, end);
}

/**
 * One firmware line (without `\n`; a trailing `\r` and surrounding blanks are allowed) as a typed
 * response. Parsers see the line trimmed. Never throws: garbage (`\u0000\u00ff\u0013ok`) and
 * unrecognised lines are `{ kind: "other", line }` with `line` as received minus its terminator.
 * NUL and other control bytes are not stripped, so a line with garbage in front is never taken for
 * an `ok` or a `Resend:`.
 */
export function parseResponse(line: string): Response {
  try {
    const text = line.trim();
    if (text !== "") {
      for (const parse of RESPONSE_PARSERS) {
        const response = parse(text);
        if (response !== null) return response;
      }
    }
  } catch {
    // A parser bug must not take the serial reader down; the line is reported verbatim instead.
  }
  return { kind: "other", line: withoutTerminator(line) };
}
