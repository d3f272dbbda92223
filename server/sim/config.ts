import type { FirmwareProfile } from "../printer/firmware-profile-types.ts";
import { HostError } from "../util/errors.ts";
import type { JunctionModel } from "./planner.ts";

/** What the simulated build has compiled in; M115 reports exactly these as `Cap:` lines. */
export interface SimCapabilities {
  /** `ok N<n> P<planner free> B<slots free>` (`Marlin/src/gcode/queue.cpp` `ok_to_send()`). */
  advancedOk: boolean;
  /** M108/M112/M410 acted on as their bytes arrive (`Marlin/src/feature/e_parser.h`). */
  emergencyParser: boolean;
  /** M155 temperature auto-report (`AUTO_REPORT_TEMPERATURES`). */
  autoreportTemp: boolean;
  /** M154 position auto-report (`AUTO_REPORT_POSITION`). */
  autoreportPos: boolean;
  /** HOST_KEEPALIVE_FEATURE: `echo:busy: processing` while a command runs; M113 sets the interval. */
  busyProtocol: boolean;
  /** `//action:` lines (M118 A1, M600). */
  hostActionCommands: boolean;
  promptSupport: boolean;
  /** `M20 L` long names. */
  extendedM20: boolean;
  /** A heated chamber: `C:` in reports, M141/M191. */
  chamber: boolean;
}

export interface SimFaults {
  /** Fraction of received numbered lines with one byte altered before validation. */
  corruptRatio: number;
  /** Fraction of `ok`s of numbered commands that are never sent (never an M105 `ok T:`). */
  dropOkRatio: number;
  /** Fraction of output lines preceded by a line of random bytes (non-UTF-8, sometimes NUL). */
  garbageRatio: number;
  /** When the line with this number arrives, the firmware resets (watchdog-style). */
  resetAtLine: number | null;
  /** When the line with this number arrives, the link drops (USB unplugged). */
  disconnectAtLine: number | null;
  /** When the line with this number arrives, thermal runaway halts the firmware. */
  thermalRunawayAtLine: number | null;
}

export interface SimLink {
  /** 8N1 bytes per second (baud / 10) in each direction; 0 = unlimited. */
  bytesPerSecond: number;
  /** One-way latency in milliseconds. */
  latencyMs: number;
}

export interface SimConfig {
  profileId: string;
  /** M115's FIRMWARE_NAME. */
  firmwareName: string;
  /** UART receive buffer (Marlin AVR default 128). */
  rxBufferBytes: number;
  /** Command queue slots (Marlin BUFSIZE, default 4). */
  commandBufferSlots: number;
  /** Line buffer including the terminator (Marlin MAX_CMD_SIZE, default 96). */
  maxLineLength: number;
  /** Planner blocks (Marlin BLOCK_BUFFER_SIZE, default 16; one stays unused, so P reads 15 when idle). */
  plannerBlocks: number;
  /** Corner speed limit of the build: CLASSIC_JERK, or junction deviation (the profile's `motion` says which). */
  junction: JunctionModel;
  /** `ok` after `Resend:` (Marlin 2.x `flush_and_request_resend()`). */
  okAfterResend: boolean;
  capabilities: SimCapabilities;
  /** DEFAULT_KEEPALIVE_INTERVAL, seconds of simulated time. */
  keepaliveSeconds: number;
  /** TEMP_RESIDENCY_TIME / TEMP_BED_RESIDENCY_TIME: seconds within the window before M109/M190 return. */
  tempResidencySeconds: number;
  /** A host opening the port (or raising DTR) resets the board, as USB-serial boards do. */
  resetOnOpen: boolean;
  /** Real milliseconds from a reset to the banner; bytes sent meanwhile are lost. */
  bootDelayMs: number;
  /** Simulated time per real time: 1 real time, 10 ten times faster, 0 zero time. */
  speed: number;
  /** Simulated milliseconds every command takes to process. */
  commandTimeMs: number;
  /** M600 waits this long (simulated) for the "user" unless M108 comes first. */
  filamentChangeMs: number;
  seed: number;
  faults: SimFaults;
  link: SimLink;
  record: {
    /** Each executed command, one per line. */
    file: string | null;
    /** Keep `recording` in memory too (off for long-running processes that stream to a file). */
    inMemory: boolean;
  };
}

export function defaultSimConfig(profile: FirmwareProfile): SimConfig {
  const caps = profile.capabilities;
  return {
    profileId: profile.id,
    firmwareName: profile.detection.example,
    rxBufferBytes: profile.serial.receiveBufferBytes ?? 128,
    commandBufferSlots: profile.serial.commandBufferSlots,
    maxLineLength: profile.serial.maxLineLength,
    plannerBlocks: 16,
    junction: profile.motion.junctionDeviationMm === null ? "classic-jerk" : "junction-deviation",
    okAfterResend: profile.serial.okAfterResend,
    capabilities: {
      advancedOk: caps.ADVANCED_OK ?? false,
      emergencyParser: caps.EMERGENCY_PARSER ?? false,
      autoreportTemp: caps.AUTOREPORT_TEMP ?? true,
      autoreportPos: caps.AUTOREPORT_POS ?? false,
      busyProtocol: caps.BUSY_PROTOCOL ?? true,
      hostActionCommands: caps.HOST_ACTION_COMMANDS ?? true,
      promptSupport: caps.PROMPT_SUPPORT ?? false,
      extendedM20: caps.EXTENDED_M20 ?? false,
      chamber: caps.CHAMBER_TEMPERATURE ?? false,
    },
    keepaliveSeconds: 2,
    tempResidencySeconds: 10,
    resetOnOpen: true,
    bootDelayMs: 0,
    speed: 1,
    commandTimeMs: 0,
    filamentChangeMs: 5000,
    seed: 1,
    faults: {
      corruptRatio: 0,
      dropOkRatio: 0,
      garbageRatio: 0,
      resetAtLine: null,
      disconnectAtLine: null,
      thermalRunawayAtLine: null,
    },
    link: { bytesPerSecond: 0, latencyMs: 0 },
    record: { file: null, inMemory: true },
  };
}

/** Throws `HostError("CONFIG")` naming the first bad field; returns the config otherwise. */
export function validateSimConfig(config: SimConfig): SimConfig {
  const int = (name: string, value: number, min: number): void => {
    if (!Number.isInteger(value) || value < min) fail(`${name} must be an integer >= ${min} (got ${value})`);
  };
  const nonNegative = (name: string, value: number): void => {
    if (!Number.isFinite(value) || value < 0) fail(`${name} must be a number >= 0 (got ${value})`);
  };
  const ratio = (name: string, value: number): void => {
    if (!Number.isFinite(value) || value < 0 || value > 1)
      fail(`${name} must be between 0 and 1 (got ${value})`);
  };
  const line = (name: string, value: number | null): void => {
    if (value !== null) int(name, value, 0);
  };
  int("rxBufferBytes", config.rxBufferBytes, 1);
  int("commandBufferSlots", config.commandBufferSlots, 1);
  int("maxLineLength", config.maxLineLength, 2);
  int("plannerBlocks", config.plannerBlocks, 2);
  nonNegative("keepaliveSeconds", config.keepaliveSeconds);
  nonNegative("tempResidencySeconds", config.tempResidencySeconds);
  nonNegative("bootDelayMs", config.bootDelayMs);
  nonNegative("speed", config.speed);
  nonNegative("commandTimeMs", config.commandTimeMs);
  nonNegative("filamentChangeMs", config.filamentChangeMs);
  int("seed", config.seed, 0);
  ratio("faults.corruptRatio", config.faults.corruptRatio);
  ratio("faults.dropOkRatio", config.faults.dropOkRatio);
  ratio("faults.garbageRatio", config.faults.garbageRatio);
  line("faults.resetAtLine", config.faults.resetAtLine);
  line("faults.disconnectAtLine", config.faults.disconnectAtLine);
  line("faults.thermalRunawayAtLine", config.faults.thermalRunawayAtLine);
  nonNegative("link.bytesPerSecond", config.link.bytesPerSecond);
  nonNegative("link.latencyMs", config.link.latencyMs);
  return config;
}

function fail(message: string): never {
  throw new HostError("CONFIG", `simulator config: ${message}`);
}
