/**
 * A firmware family's behaviour as data (`firmware-profiles/<id>.json`, validated against
 * `firmware-profiles/schema.json`). Read by the host (flow control, parsing, scripts) and by the
 * simulated printer (buffer sizes, capabilities, identity) alike.
 */

export type FlowControlMode = "auto" | "ping-pong" | "window";
export type ChecksumPolicy = "always" | "print" | "never";
export type TemperatureFormat =
  | "marlin"
  | "prusa"
  | "klipper"
  | "reprapfirmware"
  | "smoothieware"
  | "repetier";

export interface FirmwareProfile {
  /** File name without `.json`, kebab-case: `marlin-2`, `prusa-mk3`, … */
  id: string;
  /** Human name: "Marlin 2". */
  name: string;
  detection: {
    /** Case-insensitive regular expressions tried against M115's FIRMWARE_NAME. */
    firmwareName: string[];
    /** Higher wins when several profiles match (Prusa-Firmware also says "Marlin"-ish things). */
    priority: number;
    /** A real FIRMWARE_NAME value of this family (the simulator reports it; tests use it). */
    example: string;
  };
  /** Assumed before M115 answers; `Cap:` lines then override each entry they name. */
  capabilities: Record<string, boolean>;
  serial: {
    /** Baud rates worth trying for this family, most likely first. */
    baudRates: number[];
    /** Bytes the firmware's UART receive buffer holds (Marlin AVR: 128); null when unknown. */
    receiveBufferBytes: number | null;
    /** Command-queue slots (Marlin BUFSIZE, default 4). */
    commandBufferSlots: number;
    /** Line buffer size including the terminator (Marlin MAX_CMD_SIZE, default 96). */
    maxLineLength: number;
    checksum: ChecksumPolicy;
    flowControl: FlowControlMode;
    /** Whether an `ok` follows a `Resend:` request (Marlin: yes; some Prusa/old Marlin: no). */
    okAfterResend: boolean;
    /** Whether lines that are not G/M/T codes still get an `ok`. */
    unknownCommandsNeedAck: boolean;
  };
  temperature: {
    format: TemperatureFormat;
    /** Seconds between auto-reports (`M155 S<n>`) when AUTOREPORT_TEMP is available. */
    autoreportSeconds: number;
    /** M105 poll periods when auto-report is not available. */
    pollIdleSeconds: number;
    pollPrintingSeconds: number;
  };
  /** Commands whose `ok` legitimately takes long (homing, heat-and-wait, M400, dwell, M600, PID). */
  longRunningCommands: string[];
  /** G-code scripts, one command per entry. `{placeholders}` are filled by the printer layer. */
  scripts: {
    connect: string[];
    pause: string[];
    resume: string[];
    cancel: string[];
    emergencyStop: string[];
  };
}
