/**
 * What the firmware says, one line at a time, as a typed union. Produced by `parseResponse(line)`
 * (an ordered list of small parsers, see `parse-response.ts`); consumed by the send window and the
 * printer. The parsers never throw: anything unrecognised is `{ kind: "other" }`.
 */

/** One heater or sensor. `target` is null when the firmware reported none. */
export interface HeaterReading {
  actual: number;
  target: number | null;
  /** Heater power as the firmware reports it (`@:127`, `B@:0`); raw units (0..127 or 0..255). */
  power?: number;
}

/**
 * Keys as reported: `T` (current tool, before canonicalisation), `T0`, `T1`, …, `B` (bed),
 * `C` (chamber), and any other sensor by its own name (`P` PINDA, `A` ambient, `R` …).
 */
export type TemperatureReport = Record<string, HeaterReading>;

export type ErrorClass =
  /** Wants a resend that follows (`checksum mismatch`, `Line Number is not Last Line Number+1`, …). */
  | "resend"
  /** The line was skipped but no resend follows (`No Line Number with checksum`, `Missing linenumber`). */
  | "recoverable"
  /** SD card trouble: not a reason to stop a host print. */
  | "sd"
  /** The firmware did not know the command. */
  | "unknown-command"
  /** The firmware stopped: kill(), thermal runaway, MAXTEMP/MINTEMP, Klipper `!!`, Repetier `fatal:`. */
  | "fatal"
  /** Any other `Error:` line. */
  | "other";

export type Response =
  /** `ok`, `ok T:…`, and ADVANCED_OK `ok N<line> P<planner free> B<buffer free>`. */
  | {
      kind: "ok";
      lineNumber?: number;
      plannerFree?: number;
      bufferFree?: number;
      temperatures?: TemperatureReport;
    }
  /** `Resend: N`, `Resend:N`, `Resend: N123`, `rs N123`, `rs 123`. */
  | { kind: "resend"; lineNumber: number }
  /** `Error:…` / `!!…` / `fatal:…`; `lastLine` from `…, Last Line: N` when present. */
  | { kind: "error"; errorClass: ErrorClass; message: string; lastLine?: number }
  /** Marlin HOST_KEEPALIVE: `busy: processing`, `echo:busy: processing`, `busy: paused for user`. */
  | { kind: "busy"; reason: string }
  /** Marlin NO_TIMEOUTS idle line: `wait`. */
  | { kind: "wait" }
  /** A temperature line that is not an `ok` (auto-report, M109/M190 progress). */
  | { kind: "temperature"; temperatures: TemperatureReport }
  /** M114: `X:10.00 Y:20.00 Z:0.30 E:1.50 Count X:800 Y:1600 Z:120`; multi-extruder `E0:… E1:…`. */
  | { kind: "position"; x: number; y: number; z: number; e: number[] }
  /** M115: `FIRMWARE_NAME:Marlin 2.1.2 (Github) SOURCE_CODE_URL:… PROTOCOL_VERSION:1.0 …`. */
  | { kind: "firmware-info"; firmwareName: string; fields: Record<string, string> }
  /** M115 extended report: `Cap:AUTOREPORT_TEMP:1`. */
  | { kind: "capability"; name: string; enabled: boolean }
  /** SD status and events (M20–M27 replies). */
  | { kind: "sd"; event: SdEvent }
  /** Host action: `//action:pause`, `//action:notification Filament runout`. */
  | { kind: "action"; action: string; params: string }
  /** `start` alone on a line: the firmware (re)booted. */
  | { kind: "start" }
  /** `Printer halted. kill() called!` (with or without `Error:`), Klipper `!! Shutdown`. */
  | { kind: "halted"; message: string }
  /** `echo:…` lines that are none of the above (`echo:Unknown command: "G999"` has `unknownCommand`). */
  | { kind: "echo"; message: string; unknownCommand?: string }
  /** Anything else, kept verbatim (banner lines, `Marlin 2.1.2`, free text). */
  | { kind: "other"; line: string };

export type SdEvent =
  | { type: "card-ok" }
  | { type: "card-failed"; message: string }
  | { type: "list-begin" }
  | { type: "list-entry"; name: string; size?: number; longName?: string }
  | { type: "list-end" }
  | { type: "file-opened"; name: string; size: number }
  | { type: "file-selected" }
  | { type: "printing-byte"; position: number; total: number }
  | { type: "not-printing" }
  | { type: "done-printing" };

export type ResponseKind = Response["kind"];
export type ResponseOf<K extends ResponseKind> = Extract<Response, { kind: K }>;
