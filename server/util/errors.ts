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
  | "USAGE" // a command-line misuse
  | "BAD_NAME" // a file or folder name that is unsafe or invalid (traversal, hidden, device, empty)
  | "UNSUPPORTED_FILE" // a file type the store does not accept
  | "TOO_LARGE" // an upload over the size limit
  | "NOT_FOUND" // no such file, folder, job or record
  | "CONFLICT" // the target already exists
  | "BUSY" // the file or resource is in use (e.g. the file that is printing)
  | "STORAGE" // the disk is full or the data directory cannot be written
  | "DATABASE" // a database (history, auth) cannot be opened or migrated
  | "UNAUTHORIZED" // no valid credentials: wrong name or password, unknown or expired session, bad key or code
  | "FORBIDDEN" // valid credentials whose role lacks the permission
  | "THROTTLED" // too many failed attempts; details.retryAfterSeconds says when to try again
  | "CAMERA" // the camera cannot be reached, timed out or sent something that is not a picture
  | "RENDER" // ffmpeg failed to render a time-lapse
  | "INVALID_INPUT"; // input that breaks a rule, e.g. a password too short or an empty user name

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
