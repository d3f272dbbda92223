/**
 * The dashboard's one way to the daemon: typed REST calls (/api/v1), the XHR upload with progress,
 * and the push socket (./push.ts). Types come from the server's contract only.
 */
import type {
  ApiErrorBody,
  ApiKeysResponse,
  CameraStatusResponse,
  ChangePasswordRequest,
  ChangePasswordResponse,
  CommandsAccepted,
  ConnectAccepted,
  ConnectionResponse,
  ConnectRequest,
  CreatedApiKeyResponse,
  CreateUserRequest,
  ExtrudeRequest,
  FileDetailDto,
  FileDto,
  FilesResponse,
  HealthResponse,
  HistoryJobDto,
  HistoryJobResponse,
  HomeRequest,
  JobActionAccepted,
  JogRequest,
  LoginRequest,
  Page,
  PendingAppKeysResponse,
  PortsResponse,
  PrinterStateResponse,
  ProfilesResponse,
  RecoveryResponse,
  SessionResponse,
  SettingsPatchRequest,
  SettingsResponse,
  SetupRequest,
  StartedJobResponse,
  TargetsRequest,
  TemperaturesResponse,
  TimelapseSettingsDto,
  TimelapsesResponse,
  UpdateUserRequest,
  UserDto,
  UsersResponse,
} from "../../../server/api/contract.ts";

export { connectPush, type PushSocket } from "./push.ts";

const BASE = "/api/v1";

/** An error the API answered (`{"error":{"code","message"}}`), or a network failure (`NETWORK`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
let onUnauthorized: (() => void) | null = null;

/** Called when a request answers 401 (the session ended): the app shows the login. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

function rememberSession(session: SessionResponse): SessionResponse {
  csrfToken = session.csrfToken;
  return session;
}

async function toError(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `request failed (${res.status})`;
  try {
    const body = (await res.json()) as Partial<ApiErrorBody>;
    if (body.error) {
      code = body.error.code;
      message = body.error.message;
    }
  } catch {
    // not JSON: keep the status text
  }
  return new ApiError(res.status, code, message);
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken !== null) headers["X-CSRF-Token"] = csrfToken;
  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      headers,
      credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "NETWORK", "cannot reach the printer host");
  }
  if (!res.ok) {
    const error = await toError(res);
    if (res.status === 401 && !path.startsWith("/auth/login") && !path.startsWith("/setup")) {
      onUnauthorized?.();
    }
    throw error;
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text === "" ? undefined : JSON.parse(text)) as T;
}

const get = <T>(path: string) => request<T>("GET", path);
const post = <T>(path: string, body?: unknown) => request<T>("POST", path, body);
const patch = <T>(path: string, body: unknown) => request<T>("PATCH", path, body);
const put = <T>(path: string, body: unknown) => request<T>("PUT", path, body);
const del = (path: string) => request<void>("DELETE", path);

/** A stored file's path, each segment percent-encoded. */
/** A file the server serves (a time-lapse, for the share sheet) as a File; ApiError when refused. */
export async function downloadAsFile(url: string, name: string, type: string): Promise<File> {
  const res = await fetch(url, { credentials: "same-origin" });
  if (!res.ok) throw new ApiError(res.status, "DOWNLOAD", `cannot load ${name} (${res.status})`);
  return new File([await res.blob()], name, { type });
}

export function filePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

function query(params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined) q.set(k, String(v));
  const s = q.toString();
  return s === "" ? "" : `?${s}`;
}

export interface UploadHandle {
  done: Promise<FileDto>;
  abort: () => void;
}

/** Uploads a G-code file with progress (XMLHttpRequest: fetch has no upload progress). */
export function uploadFile(
  file: File,
  onProgress: (fraction: number) => void,
  options: { folder?: string; overwrite?: boolean } = {},
): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<FileDto>((resolve, reject) => {
    const form = new FormData();
    if (options.folder) form.append("path", options.folder);
    if (options.overwrite) form.append("overwrite", "true");
    form.append("file", file, file.name);
    xhr.open("POST", `${BASE}/files`);
    xhr.setRequestHeader("Accept", "application/json");
    if (csrfToken !== null) xhr.setRequestHeader("X-CSRF-Token", csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as FileDto);
      else {
        const err = (body as Partial<ApiErrorBody> | null)?.error;
        if (xhr.status === 401) onUnauthorized?.();
        reject(new ApiError(xhr.status, err?.code ?? `HTTP_${xhr.status}`, err?.message ?? "upload failed"));
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "NETWORK", "the upload was interrupted"));
    xhr.onabort = () => reject(new ApiError(0, "ABORTED", "upload cancelled"));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

export const api = {
  // session and setup
  health: () => get<HealthResponse>("/health"),
  setup: async (body: SetupRequest) => rememberSession(await post<SessionResponse>("/setup", body)),
  login: async (body: LoginRequest) => rememberSession(await post<SessionResponse>("/auth/login", body)),
  session: async () => rememberSession(await get<SessionResponse>("/auth/session")),
  /** Changes your own password; a cookie session is replaced (new CSRF token), other sessions end. */
  changePassword: async (body: ChangePasswordRequest) => {
    const res = await put<ChangePasswordResponse>("/auth/password", body);
    if (res.session) rememberSession(res.session);
    return res;
  },
  logout: async () => {
    await post<void>("/auth/logout");
    csrfToken = null;
  },

  // printer
  printer: () => get<PrinterStateResponse>("/printer"),
  temperatures: (minutes: number) => get<TemperaturesResponse>(`/printer/temperatures${query({ minutes })}`),
  setTargets: (body: TargetsRequest) => post<CommandsAccepted>("/printer/targets", body),
  preset: (name: string) => post<CommandsAccepted>("/printer/preset", { name }),
  cooldown: () => post<CommandsAccepted>("/printer/cooldown"),
  fan: (speed: number) => post<CommandsAccepted>("/printer/fan", { speed }),
  jog: (body: JogRequest) => post<CommandsAccepted>("/printer/jog", body),
  extrude: (body: ExtrudeRequest) => post<CommandsAccepted>("/printer/extrude", body),
  home: (body: HomeRequest = {}) => post<CommandsAccepted>("/printer/home", body),
  motorsOff: () => post<CommandsAccepted>("/printer/motors-off"),
  terminal: (command: string) => post<CommandsAccepted>("/printer/terminal", { command }),

  // connection
  connection: () => get<ConnectionResponse>("/connection"),
  ports: () => get<PortsResponse>("/connection/ports"),
  profiles: () => get<ProfilesResponse>("/connection/profiles"),
  connect: (body: ConnectRequest = {}) => post<ConnectAccepted>("/connection/connect", body),
  disconnect: () => post<void>("/connection/disconnect"),

  // job and recovery
  startJob: (file: string) => post<StartedJobResponse>("/job/start", { file }),
  pause: () => post<JobActionAccepted>("/job/pause"),
  resume: () => post<JobActionAccepted>("/job/resume"),
  cancel: () => post<JobActionAccepted>("/job/cancel"),
  emergencyStop: () => post<void>("/job/emergency-stop"),
  recovery: () => get<RecoveryResponse>("/recovery"),
  resumeFromLayer: (layer: number) => post<StartedJobResponse>("/recovery/resume", { layer }),
  discardRecovery: () => post<void>("/recovery/discard"),

  // files
  files: (folder?: string) => get<FilesResponse>(`/files${query({ folder, recursive: "true" })}`),
  file: (path: string) => get<FileDetailDto>(`/files/${filePath(path)}`),
  deleteFile: (path: string) => del(`/files/${filePath(path)}`),
  downloadUrl: (path: string) => `${BASE}/files/${filePath(path)}/download`,

  // history
  history: (limit = 50, offset = 0) => get<Page<HistoryJobDto>>(`/history/jobs${query({ limit, offset })}`),
  historyJob: (id: number) => get<HistoryJobResponse>(`/history/jobs/${id}?maxSamples=1500`),

  // camera and time-lapses
  camera: () => get<CameraStatusResponse>("/camera"),
  cameraStreamUrl: `${BASE}/camera/stream`,
  timelapses: () => get<TimelapsesResponse>("/timelapses"),
  deleteTimelapse: (name: string) => del(`/timelapses/${encodeURIComponent(name)}`),
  renderUnrendered: (id: string) => post<void>(`/timelapses/unrendered/${encodeURIComponent(id)}/render`),
  deleteUnrendered: (id: string) => del(`/timelapses/unrendered/${encodeURIComponent(id)}`),
  timelapseSettings: () => get<TimelapseSettingsDto>("/timelapse/settings"),
  patchTimelapseSettings: (body: Partial<TimelapseSettingsDto>) =>
    patch<TimelapseSettingsDto>("/timelapse/settings", body),

  // settings
  settings: () => get<SettingsResponse>("/settings"),
  patchSettings: (body: SettingsPatchRequest) => patch<SettingsResponse>("/settings", body),

  // users, keys, app keys
  users: () => get<UsersResponse>("/users"),
  createUser: (body: CreateUserRequest) => post<UserDto>("/users", body),
  updateUser: (id: number, body: UpdateUserRequest) => patch<UserDto>(`/users/${id}`, body),
  deleteUser: (id: number) => del(`/users/${id}`),
  resetPassword: (id: number, password: string) => put<void>(`/users/${id}/password`, { password }),
  apiKeys: () => get<ApiKeysResponse>("/api-keys"),
  createApiKey: (name: string) => post<CreatedApiKeyResponse>("/api-keys", { name }),
  revokeApiKey: (id: number) => del(`/api-keys/${id}`),
  pendingAppKeys: () => get<PendingAppKeysResponse>("/appkeys/pending"),
  approveAppKey: (id: string) => post<void>(`/appkeys/pending/${encodeURIComponent(id)}/approve`),
  denyAppKey: (id: string) => post<void>(`/appkeys/pending/${encodeURIComponent(id)}/deny`),
};

/** The message to show for anything a call threw. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
