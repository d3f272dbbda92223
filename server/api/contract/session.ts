import type { Role } from "../../auth/roles.ts";

/** Health, first-boot setup, login and the session (/api/v1/health, /api/v1/setup, /api/v1/auth). */

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
