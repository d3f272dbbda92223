import type { Logger } from "../util/log.ts";
import type { ThrottleRules } from "./login-throttle.ts";
import type { ScryptParams } from "./password.ts";
import type { Role } from "./roles.ts";

export interface User {
  id: number;
  /** As the user typed it, NFC-normalized and trimmed. */
  name: string;
  role: Role;
  createdAt: number;
  disabled: boolean;
}

/** Who is making a request, with the role they hold now. */
export interface Identity {
  userId: number;
  name: string;
  role: Role;
}

export interface SessionIdentity extends Identity {
  via: "session";
  sessionId: number;
  /** Sent back by the client on state-changing requests; see `AuthStore.checkCsrf`. */
  csrfToken: string;
  remember: boolean;
  createdAt: number;
  lastSeenAt: number;
  /** When the session ends unless used again (idle) or at the latest (absolute), whichever is first. */
  expiresAt: number;
}

export interface ApiKeyIdentity extends Identity {
  via: "apiKey";
  apiKeyId: number;
}

export interface LoginResult {
  /** The session token for the cookie; only its hash is stored. */
  token: string;
  session: SessionIdentity;
}

export interface ApiKeyInfo {
  id: number;
  userId: number;
  name: string;
  /** The first characters of the key (e.g. `lw_Ab3d…`), for the user to recognise it. */
  hint: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface CreatedApiKey {
  /** The key itself: shown once, never retrievable again. */
  key: string;
  info: ApiKeyInfo;
}

export interface SessionRules {
  /** A session not used for this long ends (default 2 h). */
  idleMs: number;
  /** A session ends this long after login however much it is used (default 24 h). */
  maxMs: number;
  /** A "remember me" session ends this long after login, used or not (default 30 days). */
  rememberMs: number;
  /** Last-seen times are written at most this often per session (default 1 min). */
  touchEveryMs: number;
}

export interface AuthStoreDeps {
  /** The SQLite file, e.g. `<dataDir>/auth.db`; its folder is created if missing. */
  path: string;
  log: Logger;
  /** ms since the epoch; defaults to Date.now. */
  clock?: () => number;
  sessions?: Partial<SessionRules>;
  throttle?: Partial<ThrottleRules>;
  /** scrypt cost for new hashes (default DEFAULT_SCRYPT); existing hashes keep theirs until the next login. */
  scrypt?: ScryptParams;
}

export interface LoginRequest {
  name: string;
  password: string;
  /** The client's address: attempts are throttled per IP as well as per account. */
  ip: string;
  remember?: boolean;
  userAgent?: string;
}

export interface NewUser {
  name: string;
  password: string;
  role: Role;
}
