import type { Permission, Role } from "../../auth/roles.ts";
import type { TemperatureReport } from "../../gcode/responses/types.ts";
import type { JobResultKind, PausedBy } from "../../jobs/control/job-ports.ts";
import type { JobProgress } from "../../jobs/control/running-job.ts";
import type { FirmwareSummary } from "../../jobs/engine/engine.ts";
import type { PrinterState } from "../../printer/state-machine.ts";
import type { CommandsAccepted } from "./commands.ts";
import type { InterruptedDto } from "./printer.ts";

/**
 * Push: socket.io at `/socket.io`, WebSocket transport only (docs/api.md, "Push socket"). Every
 * server message carries `at`, the server's clock (ms since the epoch) when it was made.
 */

/** The connected firmware, as the dashboard shows it: unlike FirmwareSummary, the profile by id, no M115 fields. */
export interface PushFirmware extends Omit<FirmwareSummary, "profile" | "fields"> {
  /** The firmware profile in use (`marlin-2`, `prusa-mk3`, …). */
  profile: string;
}

/** An interrupted print that can be resumed from a layer (or discarded): the same shape as over REST, layers 1-based. */
export type PushRecovery = InterruptedDto;

export type PushProgress = JobProgress & { at: number };

/** Sent first on every connection, and again after the socket's role changed or it fell behind. */
export interface PushSnapshot {
  at: number;
  user: { name: string; role: Role };
  /** What this socket may do (its user's role, as of now). */
  permissions: Permission[];
  /** Whether terminal lines are subscribed (see `subscribe`). */
  terminal: boolean;
  state: PrinterState;
  stateReason: string;
  firmware: PushFirmware | null;
  temperatures: TemperatureReport;
  job: { file: string; pausedBy: PausedBy | null; progress: PushProgress | null } | null;
  interrupted: PushRecovery | null;
}

/** Every printer state change, sent as it happens. */
export interface PushState {
  at: number;
  from: PrinterState;
  to: PrinterState;
  reason: string;
}

/** The latest temperatures; at most 2 per second, older reports are skipped. */
export interface PushTemperatures {
  at: number;
  temperatures: TemperatureReport;
}

/** Something happened (few, never coalesced). */
export type PushEvent =
  | { type: "started"; at: number; jobId: number; file: string; user: string | null }
  | { type: "paused"; at: number; by: PausedBy }
  | { type: "resumed"; at: number }
  | {
      type: JobResultKind;
      at: number;
      jobId: number | null;
      file: string;
      reason: string | null;
      lines: number;
      seconds: number;
    }
  | { type: "recoveryAvailable"; at: number; recovery: PushRecovery }
  | { type: "recoveryCleared"; at: number }
  | { type: "firmware"; at: number; firmware: PushFirmware }
  | { type: "action"; at: number; action: string; params: string }
  | { type: "error"; at: number; code: string; message: string }
  /** Time-lapse capture lost a frame or stopped (camera gone, disk nearly full); the print goes on. */
  | { type: "timelapseWarning"; at: number; code: "CAMERA" | "DISK"; message: string; jobId: number | null }
  /** A render started or moved on (at most every 5 %). */
  | { type: "timelapseRendering"; at: number; name: string; jobId: number | null; fraction: number }
  | {
      type: "timelapseRendered";
      at: number;
      name: string;
      jobId: number | null;
      url: string;
      posterUrl: string;
    }
  | { type: "timelapseFailed"; at: number; jobId: number | null; message: string };

export interface PushTerminalLine {
  /** `recv`: from the firmware; `send`: an interactive command to it. */
  dir: "send" | "recv";
  text: string;
}

/** Terminal lines in batches (at most one batch per 250 ms, bounded); `dropped` lines did not fit. */
export interface PushTerminal {
  at: number;
  lines: PushTerminalLine[];
  dropped: number;
}

/** Sent just before the server closes the socket. */
export interface PushClosing {
  /** UNAUTHORIZED: the session ended or the key was revoked; FORBIDDEN: the role lost access; SHUTDOWN. */
  code: "UNAUTHORIZED" | "FORBIDDEN" | "SHUTDOWN";
  message: string;
}

/** The answer to every client event (socket.io acknowledgement). */
export type PushAck<T = null> =
  | { ok: true; data: T }
  | { ok: false; error: { code: string; message: string } };

export interface SubscribeRequest {
  /** Terminal lines (needs the `terminal` permission); off until asked for. */
  terminal: boolean;
}

export interface TerminalSendRequest {
  /** One G-code line, without line number or checksum (checked as `POST /api/v1/printer/terminal` checks it). */
  line: string;
}

/** Server → client messages. */
export interface PushServerEvents {
  snapshot: (snapshot: PushSnapshot) => void;
  state: (state: PushState) => void;
  temperatures: (temperatures: PushTemperatures) => void;
  progress: (progress: PushProgress) => void;
  event: (event: PushEvent) => void;
  terminal: (batch: PushTerminal) => void;
  closing: (closing: PushClosing) => void;
}

/** Client → server events; each needs the permission the server's socket event registry declares. */
export interface PushClientEvents {
  subscribe: (request: SubscribeRequest, ack: (answer: PushAck<SubscribeRequest>) => void) => void;
  "terminal:send": (request: TerminalSendRequest, ack: (answer: PushAck<CommandsAccepted>) => void) => void;
}
