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

/** One value per axis; E is the extruder. */
export interface AxisValues {
  x: number;
  y: number;
  z: number;
  e: number;
}

/** Machine-limit commands whose Marlin units and meaning a firmware shares (M201 mm/s², M203 mm/s, M204, M205 mm/s). */
export type LimitCommand = "M201" | "M203" | "M204" | "M205";

/**
 * The family's power-up motion limits and rough heater rates: what a time estimate assumes until
 * the file's own M201/M203/M204/M205 (those in `fileLimitCommands`) change them.
 */
export interface FirmwareMotion {
  /** mm/s (M203). */
  maxFeedrate: AxisValues;
  /** mm/s² (M201). */
  maxAcceleration: AxisValues;
  /** mm/s² (M204 P): moves that extrude. */
  printAcceleration: number;
  /** mm/s² (M204 R): extruder-only moves. */
  retractAcceleration: number;
  /** mm/s² (M204 T): moves that do not extrude. */
  travelAcceleration: number;
  /** mm/s (M205 X Y Z E): classic jerk, the speed change allowed without acceleration. */
  jerk: AxisValues;
  /** mm (M205 J): junction deviation replaces classic jerk at XYZ corners; null = classic jerk. */
  junctionDeviationMm: number | null;
  /** mm/s (M205 S). */
  minExtrudingFeedrate: number;
  /** mm/s (M205 T). */
  minTravelFeedrate: number;
  /** Which of the file's limit commands the firmware applies with Marlin's units and meaning. */
  fileLimitCommands: LimitCommand[];
  /** Rough heating rates from room temperature, °C/s, for a heat-up estimate. */
  heating: { hotendDegPerSecond: number; bedDegPerSecond: number };
}

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
  motion: FirmwareMotion;
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
