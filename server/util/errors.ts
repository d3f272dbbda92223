/**
 * Every error the host raises on purpose carries a code that callers branch on, and the command
 * (or file, or key) it concerns in the message.
 */
export type HostErrorCode =
  | "DISCONNECTED" // the serial link closed, was unplugged or failed with EIO
  | "TIMEOUT" // the firmware stopped answering
  | "FIRMWARE" // the firmware reported an error, halted or reset
  | "RESEND_LOOP" // the same line was requested again and again
  | "RESEND_UNAVAILABLE" // a resend asked for a line older than the history keeps
  | "LINE_TOO_LONG" // a command cannot fit in the firmware's line buffer
  | "NO_FIRMWARE" // nothing answered at any baud rate
  | "CONFIG" // invalid configuration or profile
  | "INVALID_STATE" // an operation the current state forbids
  | "USAGE"; // a command-line misuse

export class HostError extends Error {
  readonly code: HostErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: HostErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "HostError";
    this.code = code;
    this.details = details;
  }
}

export function isHostError(err: unknown, code?: HostErrorCode): err is HostError {
  return err instanceof HostError && (code === undefined || err.code === code);
}
