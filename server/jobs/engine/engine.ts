import type { FlowRequest } from "../../gcode/flow-control.ts";
import type { TemperatureReport } from "../../gcode/responses/types.ts";
import type { FirmwareProfile } from "../../printer/firmware-profile-types.ts";
import type { PrinterState, StateChange } from "../../printer/state-machine.ts";
import type { HostErrorCode } from "../../util/errors.ts";
import type { JobOutcome, PausedBy, StabilizeSettings } from "../control/job-ports.ts";
import type { JobProgress } from "../control/running-job.ts";
import type { RecoveryPoint } from "../recovery/recovery-point.ts";

/**
 * The printer and its print jobs as everything above the job layer (the API, the camera) sees
 * them: plain data and async commands, so the same interface works in this thread (`LocalEngine`)
 * or across a worker-thread boundary (`WorkerEngine`), where the serial stream runs on an event
 * loop of its own that HTTP, socket and camera work cannot stall. Every value here survives
 * `structuredClone`.
 */

/** The connected firmware, as detected. */
export interface FirmwareSummary {
  /** FIRMWARE_NAME from M115. */
  name: string;
  /** Every M115 field (`MACHINE_TYPE`, `PROTOCOL_VERSION`, …). */
  fields: Record<string, string>;
  profile: FirmwareProfile;
  capabilities: Record<string, boolean>;
  port: string;
  baudRate: number;
}

/** An error as it crosses the engine boundary (a HostError's code, message and details). */
export interface EngineError {
  code: HostErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

/** Everything the dashboard shows at a glance; kept current from the events below. */
export interface EngineSnapshot {
  state: PrinterState;
  /** Why the printer is in this state (the last transition's reason). */
  stateReason: string;
  firmware: FirmwareSummary | null;
  temperatures: TemperatureReport;
  job: {
    file: string;
    pausedBy: PausedBy | null;
    /** null until the first progress report of the print. */
    progress: JobProgress | null;
  } | null;
  /** An interrupted print that can be resumed (from the recovery store), or null. */
  interrupted: RecoveryPoint | null;
}

export interface EngineEvents {
  state: [change: StateChange];
  firmware: [info: FirmwareSummary];
  temperatures: [report: TemperatureReport];
  /** Raw traffic for the terminal: `recv` lines from the firmware, `send` interactive commands. */
  line: [direction: "send" | "recv", text: string];
  /** Every `progress` interval while a print runs, and at each layer change. */
  progress: [progress: JobProgress];
  /** A new layer started (1-based) at height z. */
  layer: [layer: number, z: number];
  /** A print started (its history id and file). */
  started: [job: { jobId: number; file: string; user: string | null }];
  /** Paused (by whom) or resumed. */
  paused: [by: PausedBy];
  resumed: [];
  finished: [outcome: JobOutcome];
  /** A host action from the firmware (`//action:…`). */
  action: [action: string, params: string];
  /** Something went wrong that ended a print or the connection. */
  failure: [error: EngineError];
  /** The interrupted print changed: found, resumed or discarded (null). */
  interrupted: [point: RecoveryPoint | null];
}

export interface EngineConnectOptions {
  /** `virtual` for the built-in simulated printer, else a serial device path. */
  port: string;
  baudRate?: number;
  profile?: string;
  flow?: FlowRequest;
}

export interface EnginePrintOptions {
  /** Who started it (history). */
  user?: string | null;
}

/** Job settings that take effect at once, for the next pause or cancel (the maker's settings page). */
export interface EngineJobSettings {
  /** Where pause and cancel park the head, mm. */
  park?: { x: number; y: number };
  /** A paused print's nozzles go off after this long; 0 keeps them hot. */
  coolAfterPauseMs?: number;
  /** Stabilized time-lapse frames at each layer change, from the next layer on; null: off. */
  stabilize?: StabilizeSettings | null;
}

export type Unsubscribe = () => void;

export interface Engine {
  /** The current picture; synchronous (mirrored from events on the far side of a worker). */
  snapshot(): EngineSnapshot;
  on<K extends keyof EngineEvents & string>(
    event: K,
    listener: (...args: EngineEvents[K]) => void,
  ): Unsubscribe;

  /** Connects to the printer (baud and firmware detection). INVALID_STATE while connected. */
  connect(options: EngineConnectOptions): Promise<FirmwareSummary>;
  /** Disconnects; a running print is cancelled first (heaters off). */
  disconnect(): Promise<void>;
  /** One interactive command (temperatures, jog, terminal), slotted between print lines. */
  send(command: string): Promise<void>;

  /** Starts printing a stored file; resolves once it streams, with its history id. */
  print(file: string, options?: EnginePrintOptions): Promise<number>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Resolves once the cancel script ran (heaters off). */
  cancel(reason?: string): Promise<JobOutcome>;
  /** M112 at once, past every queue. */
  emergencyStop(): Promise<void>;
  /** Resumes the interrupted print from `layer` (0-based index into its layers). */
  resumeInterrupted(layer: number, user?: string | null): Promise<number>;
  /** Forgets the interrupted print. */
  discardInterrupted(): Promise<void>;
  /** Changes job settings; a pause already under way keeps the ones it started with. */
  configure(settings: EngineJobSettings): Promise<void>;
  /** Resolves with the running print's outcome; null when none runs. */
  whenFinished(): Promise<JobOutcome> | null;

  /** Ends the engine: a running print is stopped with heaters off and kept for recovery. */
  stop(): Promise<void>;
}
