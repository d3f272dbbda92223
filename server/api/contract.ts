/**
 * The own API's request and response shapes (/api/v1 and the push socket): the one source of types
 * for the dashboard's client (web/). Plain data only; no imports of server internals beyond types.
 */
import type { Role } from "../auth/roles.ts";

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
