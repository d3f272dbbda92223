import { HostError } from "../util/errors.ts";

/** The last line the firmware acknowledged: what a maker needs to know where a print stopped. */
export interface LastAcked {
  lineNumber: number | null;
  command: string;
  /** The job's reference (its line in the file), 0 for other lines. */
  ref: number;
}

export function lastAckedText(last: LastAcked | null): string {
  if (last === null) return "; no line was acknowledged";
  const where = last.ref > 0 ? `file line ${last.ref}, ` : "";
  return `; last acknowledged: ${where}N${last.lineNumber ?? "-"} '${last.command}'`;
}

export function linkLost(cause: HostError, last: LastAcked | null): HostError {
  return new HostError("DISCONNECTED", `${cause.message}${lastAckedText(last)}`, {
    ...cause.details,
    lastAcked: last,
  });
}

export function lineTooLong(
  command: string,
  ref: number,
  wireLength: number,
  maxLineLength: number,
): HostError {
  const where = ref > 0 ? ` (file line ${ref})` : "";
  return new HostError(
    "LINE_TOO_LONG",
    `'${command}'${where} is ${wireLength - 1} characters on the wire; the firmware keeps ${maxLineLength - 1}`,
    { command, ref },
  );
}

export function resendLoop(lineNumber: number, times: number): HostError {
  return new HostError(
    "RESEND_LOOP",
    `the printer requested line ${lineNumber} ${times} times in a row: communication is stuck`,
    { lineNumber },
  );
}

export function resendUnavailable(lineNumber: number): HostError {
  return new HostError(
    "RESEND_UNAVAILABLE",
    `the printer asked for line ${lineNumber}, older than the resend history`,
    {
      lineNumber,
    },
  );
}

export function communicationTimeout(
  quietMs: number,
  waitingFor: string | undefined,
  timeouts: number,
  last: LastAcked | null,
): HostError {
  const what = waitingFor === undefined ? "" : ` waiting for '${waitingFor}'`;
  return new HostError(
    "TIMEOUT",
    `no answer from the firmware for ${Math.round(quietMs / 1000)} s${what} (${timeouts} timeouts in a row)${lastAckedText(last)}`,
    { lastAcked: last },
  );
}
