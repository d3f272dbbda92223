/**
 * The own API's request and response shapes (/api/v1 and the push socket): the one source of types
 * for the dashboard's client (web/). Plain data only; no imports of server internals beyond types.
 */
import type { Permission, Role } from "../auth/roles.ts";
import type { TemperatureReport } from "../gcode/responses/types.ts";
import type { JobResultKind, PausedBy } from "../jobs/control/job-ports.ts";
import type { JobProgress } from "../jobs/control/running-job.ts";
import type { PrinterState } from "../printer/state-machine.ts";

/** Every error response: `{"error":{"code":"NOT_FOUND","message":"…"}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

export interface HealthResponse {
  ok: true;
  version: string;
  /** No user exists yet: the dashboard shows the setup screen. */
  needsSetup: boolean;
}

export interface SetupRequest {
  /** The one-time code the daemon printed to its log. */
  code: string;
  name: string;
  password: string;
}

export interface LoginRequest {
  name: string;
  password: string;
  /** Keep the session for 30 days instead of until the browser closes / 2 h idle. */
  remember?: boolean;
}

/** The signed-in user and what the dashboard needs to call the API on their behalf. */
export interface SessionResponse {
  user: { id: number; name: string; role: Role };
  permissions: string[];
  /** Send back as `X-CSRF-Token` on every state-changing request (cookie sessions only). */
  csrfToken: string | null;
  via: "session" | "apiKey";
  /** ms since the epoch; null for API keys. */
  expiresAt: number | null;
}

// ---------------------------------------------------------------------------------------------------
// Users and API keys (/api/v1/users, /api/v1/api-keys, /api/v1/auth/password)
// ---------------------------------------------------------------------------------------------------

export interface UserDto {
  id: number;
  name: string;
  role: Role;
  /** ms since the epoch. */
  createdAt: number;
  /** A disabled user cannot log in, their sessions are ended and their API keys refused. */
  disabled: boolean;
}

export interface UsersResponse {
  users: UserDto[];
}

export interface CreateUserRequest {
  name: string;
  /** 8 to 1024 characters. */
  password: string;
  role: Role;
}

/** At least one field. Demoting, disabling or deleting the last enabled admin is a 409. */
export interface UpdateUserRequest {
  role?: Role;
  disabled?: boolean;
}

/** An admin sets a user's password; every session of that user ends, their API keys stay. */
export interface ResetPasswordRequest {
  password: string;
}

/** A user changes their own password; wrong `currentPassword` is a 403 (throttled like login). */
export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

/** Other sessions of the user end; a cookie session is replaced by a new one (new cookie and CSRF token). */
export interface ChangePasswordResponse {
  /** Null when the request was made with an API key. */
  session: SessionResponse | null;
}

export interface ApiKeyDto {
  id: number;
  userId: number;
  name: string;
  /** The first characters of the key (`lw_Ab3d…`), to recognise it; the key itself is never shown again. */
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface ApiKeysResponse {
  apiKeys: ApiKeyDto[];
}

export interface CreateApiKeyRequest {
  /** 1 to 64 characters, e.g. "PrusaSlicer on the desk PC". */
  name: string;
}

/** The only response that ever contains the key. */
export interface CreatedApiKeyResponse {
  /** `lw_` + 43 characters; send as `X-Api-Key` or `Authorization: Bearer`. */
  key: string;
  apiKey: ApiKeyDto;
}

// ---------------------------------------------------------------------------------------------
// Push: socket.io at `/socket.io`, WebSocket transport only (docs/api.md, "Push socket").
// Every server message carries `at`, the server's clock (ms since the epoch) when it was made.
// ---------------------------------------------------------------------------------------------

/** The connected firmware, as the dashboard shows it. */
export interface PushFirmware {
  name: string;
  /** The firmware profile in use (`marlin-2`, `prusa-mk3`, …). */
  profile: string;
  port: string;
  baudRate: number;
  capabilities: Record<string, boolean>;
}

/** An interrupted print that can be resumed from a layer (or discarded). */
export interface PushRecovery {
  file: string;
  jobId: number | null;
  /** 0-based index of the layer it stopped in, of `layerCount`. */
  layer: number;
  layerCount: number;
  z: number;
  reason: string | null;
  updatedAt: number;
}

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
  | { type: "error"; at: number; code: string; message: string };

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
  /** One G-code line, without line number or checksum. */
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
  "terminal:send": (request: TerminalSendRequest, ack: (answer: PushAck) => void) => void;
}
