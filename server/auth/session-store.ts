import type { Database, Statement } from "better-sqlite3";
import type { Role } from "./roles.ts";
import { randomToken, sameHash, tokenHash } from "./secrets.ts";
import type { LoginResult, SessionIdentity, SessionRules } from "./types.ts";

export const DEFAULT_SESSION_RULES: Readonly<SessionRules> = {
  idleMs: 2 * 3_600_000,
  maxMs: 24 * 3_600_000,
  rememberMs: 30 * 86_400_000,
  touchEveryMs: 60_000,
};

interface SessionRow {
  id: number;
  token_hash: Buffer;
  csrf_token: string;
  user_id: number;
  remember: number;
  created_at: number;
  last_seen_at: number;
  name: string;
  role: Role;
  disabled: number;
}

export interface NewSession {
  userId: number;
  remember: boolean;
  ip?: string | undefined;
  userAgent?: string | undefined;
}

/**
 * Sessions: the client holds a random 32-byte token; the table holds its SHA-256, so a copy of the
 * database lets nobody log in. Expiry is computed from the row, not stored:
 * - ordinary: ends `idleMs` after it was last seen, and `maxMs` after login at the latest;
 * - remember me: ends `rememberMs` after login.
 * Last-seen is written at most every `touchEveryMs`, so a session may end up to that much early.
 */
export class SessionStore {
  readonly #rules: SessionRules;
  readonly #insert: Statement<[Buffer, string, number, number, number, number, string | null, string | null]>;
  readonly #byHash: Statement<[Buffer], SessionRow>;
  readonly #touch: Statement<[number, number]>;
  readonly #delete: Statement<[number]>;
  readonly #deleteForUser: Statement<[number]>;
  readonly #all: Statement<[], SessionRow>;

  constructor(db: Database, rules: SessionRules) {
    this.#rules = rules;
    this.#insert = db.prepare(
      `INSERT INTO sessions (token_hash, csrf_token, user_id, remember, created_at, last_seen_at, ip, user_agent)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const select = `SELECT s.id, s.token_hash, s.csrf_token, s.user_id, s.remember, s.created_at, s.last_seen_at,
                           u.name, u.role, u.disabled
                    FROM sessions s JOIN users u ON u.id = s.user_id`;
    this.#byHash = db.prepare(`${select} WHERE s.token_hash = ?`);
    this.#all = db.prepare(select);
    this.#touch = db.prepare("UPDATE sessions SET last_seen_at = ? WHERE id = ?");
    this.#delete = db.prepare("DELETE FROM sessions WHERE id = ?");
    this.#deleteForUser = db.prepare("DELETE FROM sessions WHERE user_id = ?");
  }

  create(session: NewSession, user: { name: string; role: Role }, now: number): LoginResult {
    const token = randomToken();
    const csrfToken = randomToken();
    const id = Number(
      this.#insert.run(
        tokenHash(token),
        csrfToken,
        session.userId,
        session.remember ? 1 : 0,
        now,
        now,
        session.ip ?? null,
        session.userAgent?.slice(0, 256) ?? null,
      ).lastInsertRowid,
    );
    const row = { id, csrf_token: csrfToken, user_id: session.userId, remember: session.remember ? 1 : 0 };
    return {
      token,
      session: this.#identity({ ...row, created_at: now, last_seen_at: now, ...user, disabled: 0 }),
    };
  }

  /**
   * The live session for `token`, its last-seen time updated (at most every `touchEveryMs`), or null
   * when the token is unknown, the session has expired (it is deleted) or its user is disabled.
   */
  authenticate(token: string, now: number): SessionIdentity | null {
    const hash = tokenHash(token);
    const row = this.#byHash.get(hash);
    if (row === undefined || !sameHash(row.token_hash, hash)) return null;
    if (this.#expiresAt(row) <= now) {
      this.#delete.run(row.id);
      return null;
    }
    if (row.disabled === 1) return null;
    if (now - row.last_seen_at >= this.#rules.touchEveryMs) {
      this.#touch.run(now, row.id);
      row.last_seen_at = now;
    }
    return this.#identity(row);
  }

  /** Ends the session of `token`; true when there was one. */
  logout(token: string): boolean {
    const row = this.#byHash.get(tokenHash(token));
    if (row === undefined) return false;
    return this.#delete.run(row.id).changes > 0;
  }

  /** Ends every session of the user; returns how many. */
  logoutUser(userId: number): number {
    return this.#deleteForUser.run(userId).changes;
  }

  /** Deletes expired sessions; returns how many. */
  prune(now: number): number {
    let deleted = 0;
    for (const row of this.#all.all()) {
      if (this.#expiresAt(row) <= now) deleted += this.#delete.run(row.id).changes;
    }
    return deleted;
  }

  #expiresAt(row: Pick<SessionRow, "remember" | "created_at" | "last_seen_at">): number {
    const { idleMs, maxMs, rememberMs } = this.#rules;
    if (row.remember === 1) return row.created_at + rememberMs;
    return Math.min(row.last_seen_at + idleMs, row.created_at + maxMs);
  }

  #identity(row: Omit<SessionRow, "token_hash">): SessionIdentity {
    return {
      via: "session",
      sessionId: row.id,
      userId: row.user_id,
      name: row.name,
      role: row.role,
      csrfToken: row.csrf_token,
      remember: row.remember === 1,
      createdAt: row.created_at,
      lastSeenAt: row.last_seen_at,
      expiresAt: this.#expiresAt(row),
    };
  }
}
