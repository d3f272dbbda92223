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
// Printer, files, jobs, history, recovery, settings (/api/v1; docs/api.md). State-changing actions
// that run on in the background answer 202 with a body saying what was queued.
// ---------------------------------------------------------------------------------------------------

export type PrinterStateName = import("../printer/state-machine.ts").PrinterState;

/** One heater: °C; `target` null when the firmware reported none; `power` raw (0–127 or 0–255). */
export interface HeaterDto {
  actual: number;
  target: number | null;
  power?: number;
}

/** Keys as the firmware reports them: `T0`, `T1`, … nozzles, `B` bed, `C` chamber, other sensors. */
export type TemperaturesDto = Record<string, HeaterDto>;

export interface ProfileRef {
  id: string;
  name: string;
}

export interface FirmwareDto {
  /** FIRMWARE_NAME from M115. */
  name: string;
  /** Every M115 field (`MACHINE_TYPE`, `PROTOCOL_VERSION`, …). */
  fields: Record<string, string>;
  profile: ProfileRef;
  capabilities: Record<string, boolean>;
  port: string;
  baudRate: number;
}

export interface EtaDto {
  remainingSeconds: number;
  /** Half-width of the band: "14 min ± 2". */
  plusMinusSeconds: number;
  /** Measured pace over the model's (1.08: 8 % slower); null until measurable. */
  paceFactor: number | null;
  /** ms since the epoch, by the server's clock. */
  finishesAt: number;
}

export interface ProgressDto {
  file: string;
  jobId: number | null;
  bytes: number;
  totalBytes: number;
  /** 0–100, by bytes acknowledged. */
  percent: number;
  lines: number;
  /** 1-based layer being printed, of `layers`; 0 before the first layer. */
  layer: number;
  layers: number;
  z: number;
  elapsedSeconds: number;
  /** Pauses and heat-up waits excluded. */
  printingSeconds: number;
  eta: EtaDto;
}

export interface CurrentJobDto {
  file: string;
  /** Who paused it: the maker, the file (M0/M1), the firmware (M600, `//action:pause`); null when not paused. */
  pausedBy: "user" | "file" | "firmware" | null;
  /** null until the first progress report. */
  progress: ProgressDto | null;
}

/** An interrupted print (daemon killed, power cut, link lost) that can be resumed from a layer. */
export interface InterruptedDto {
  file: string;
  jobId: number | null;
  /** `printing`: the daemon died mid-print; `interrupted`: the print stopped on a fault (`reason`). */
  state: "printing" | "interrupted";
  reason: string | null;
  /** 1-based layer the print was in, of `layerCount`. */
  layer: number;
  layerCount: number;
  z: number;
  startedAt: number;
  updatedAt: number;
}

export interface PrinterStateResponse {
  state: PrinterStateName;
  stateReason: string;
  firmware: FirmwareDto | null;
  temperatures: TemperaturesDto;
  job: CurrentJobDto | null;
  interrupted: InterruptedDto | null;
}

export interface TemperatureSampleDto {
  at: number;
  heater: string;
  actual: number;
  target: number | null;
}

export interface TemperaturesResponse {
  current: TemperaturesDto;
  /** With `?minutes=N`: samples (about 1 Hz, the last few seconds may still be unwritten), oldest first. */
  history: TemperatureSampleDto[] | null;
}

export interface SerialPortDto {
  path: string;
  byIdPath: string | null;
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  product: string | null;
  serialNumber: string | null;
}

export interface PortsResponse {
  ports: SerialPortDto[];
  /** What `port` means in settings when none is set: `virtual` is the built-in simulated printer. */
  virtual: "virtual";
}

export interface ConnectionResponse {
  state: PrinterStateName;
  stateReason: string;
  port: string | null;
  baudRate: number | null;
  profile: ProfileRef | null;
  firmware: { name: string; fields: Record<string, string> } | null;
}

/** Each field defaults to the settings' `serial` value. */
export interface ConnectRequest {
  port?: string;
  /** null: detect. */
  baudRate?: number | null;
  /** A profile id; null: detect from M115. */
  profile?: string | null;
}

export interface ConnectAccepted {
  port: string;
  baudRate: number | null;
  profile: string | null;
}

export interface ProfileDto extends ProfileRef {
  /** A FIRMWARE_NAME of this family, as M115 reports it. */
  firmware: string;
}

export interface ProfilesResponse {
  profiles: ProfileDto[];
}

/** At least one heater. `toolN` for nozzle N. */
export interface TargetsRequest {
  bed?: number;
  chamber?: number;
  [tool: `tool${number}`]: number | undefined;
}

export interface PresetRequest {
  name: string;
}

/** Relative distances, mm; feedrate mm/min. */
export interface JogRequest {
  x?: number;
  y?: number;
  z?: number;
  feedrate?: number;
}

export interface HomeRequest {
  /** Default: all. */
  axes?: ("x" | "y" | "z")[];
}

export interface ExtrudeRequest {
  /** mm; negative retracts. */
  amount: number;
  /** mm/min. */
  feedrate?: number;
}

export interface FanRequest {
  /** 0–100 %. */
  speed: number;
}

export type TerminalRequest = { command: string } | { commands: string[] };

/** The G-code lines queued (202), or `emergencyStop` when the line was M112. */
export interface CommandsAccepted {
  commands: string[];
  emergencyStop?: boolean;
}

export type AnalysisDto =
  | { status: "pending" }
  | { status: "failed"; analyzedAt: string; error: string }
  | {
      status: "ready";
      analyzedAt: string;
      /** Motion time, seconds (comparable with the slicer's estimate). */
      estimatedSeconds: number;
      heatUpSeconds: number;
      totalSeconds: number;
      layers: number;
      filamentMm: number[];
      boundingBox: {
        minX: number;
        minY: number;
        minZ: number;
        maxX: number;
        maxY: number;
        maxZ: number;
      } | null;
      slicer: {
        generator: string | null;
        estimatedSeconds: number | null;
        filamentMm: number[] | null;
        filamentG: number[] | null;
      };
      lines: number;
      longestLine: number;
    };

export interface ThumbnailDto {
  width: number;
  height: number;
  format: "png" | "jpg" | "qoi";
  /** GET this for the image. */
  url: string;
}

export interface FileDto {
  type: "file";
  name: string;
  /** Relative path, `/` between folders. */
  path: string;
  size: number;
  modifiedMs: number;
  /** SHA-256, hex. */
  hash: string;
  analysis: AnalysisDto;
  thumbnails: ThumbnailDto[];
  /** The file is printing (it cannot be deleted, moved or replaced). */
  printing: boolean;
}

/** One file with its layers (for "resume from layer" and the layer slider). */
export interface FileDetailDto extends FileDto {
  layers: { z: number; height: number; startSeconds: number }[] | null;
}

export interface FolderDto {
  type: "folder";
  name: string;
  path: string;
  modifiedMs: number;
}

export interface FilesResponse {
  /** The folder listed; "" for the root. */
  folder: string;
  entries: (FileDto | FolderDto)[];
}

export interface MoveRequest {
  from: string;
  to: string;
}

export interface FolderRequest {
  path: string;
}

export interface JobResponse {
  state: PrinterStateName;
  job: CurrentJobDto | null;
}

export interface StartJobRequest {
  file: string;
}

export interface StartedJobResponse {
  /** The history record: GET /api/v1/history/jobs/:id. */
  jobId: number;
  file: string;
}

/** A job action was accepted (202): watch `state` (GET /api/v1/job or the push socket). */
export interface JobActionAccepted {
  action: "pause" | "resume" | "cancel";
  state: PrinterStateName;
}

export interface HistoryJobDto {
  id: number;
  file: string;
  fileHash: string;
  user: string | null;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  result: "done" | "cancelled" | "failed" | null;
  status: "done" | "cancelled" | "failed" | "running" | "interrupted";
  reason: string | null;
  layers: number | null;
  estimatedSeconds: number | null;
  filamentMm: number[];
  resumedFrom: number | null;
  /** 1-based layer the job started at (1 for a fresh print). */
  startLayer: number;
}

export interface EventDto {
  id: number;
  at: number;
  kind: string;
  message: string;
  jobId: number | null;
  data: Record<string, unknown> | null;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface HistoryJobResponse {
  job: HistoryJobDto;
  temperatures: TemperatureSampleDto[];
  events: EventDto[];
}

export interface RecoveryResponse {
  interrupted: InterruptedDto | null;
}

export interface ResumeRequest {
  /** 1-based layer to resume from, 1 … layerCount. */
  layer: number;
}

export type SettingsResponse = import("../jobs/settings/settings-schema.ts").Settings;
export type SettingsPatchRequest = import("../jobs/settings/settings-schema.ts").SettingsPatch;

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
