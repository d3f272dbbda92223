import type { Database, Statement } from "better-sqlite3";
import { HostError } from "../util/errors.ts";
import type { Role } from "./roles.ts";
import { randomToken, sameHash, tokenHash } from "./secrets.ts";
import type { ApiKeyIdentity, ApiKeyInfo, CreatedApiKey } from "./types.ts";

/** Every key starts with this, so a leaked one is recognisable (e.g. by secret scanners). */
export const API_KEY_PREFIX = "lw_";
const MAX_KEY_NAME_LENGTH = 64;
/** Characters of the key kept in plaintext as its hint: the prefix and 4 random characters. */
const HINT_LENGTH = API_KEY_PREFIX.length + 4;

interface KeyRow {
  id: number;
  user_id: number;
  name: string;
  hint: string;
  created_at: number;
  last_used_at: number | null;
}

interface KeyOwnerRow extends KeyRow {
  key_hash: Buffer;
  user_name: string;
  role: Role;
  disabled: number;
}

/**
 * API keys: `lw_` + 32 random bytes in base64url, stored as SHA-256. The key carries no role: it acts
 * with its owner's role at the moment of use, so demoting or disabling the owner takes effect at once.
 */
export class ApiKeyStore {
  readonly #touchEveryMs: number;
  readonly #insert: Statement<[number, string, Buffer, string, number]>;
  readonly #byHash: Statement<[Buffer], KeyOwnerRow>;
  readonly #byId: Statement<[number], KeyRow>;
  readonly #forUser: Statement<[number], KeyRow>;
  readonly #touch: Statement<[number, number]>;
  readonly #delete: Statement<[number]>;

  constructor(db: Database, touchEveryMs: number) {
    this.#touchEveryMs = touchEveryMs;
    this.#insert = db.prepare(
      "INSERT INTO api_keys (user_id, name, key_hash, hint, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.#byHash = db.prepare(
      `SELECT k.id, k.user_id, k.name, k.key_hash, k.hint, k.created_at, k.last_used_at,
              u.name AS user_name, u.role, u.disabled
       FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.key_hash = ?`,
    );
    const columns = "id, user_id, name, hint, created_at, last_used_at";
    this.#byId = db.prepare(`SELECT ${columns} FROM api_keys WHERE id = ?`);
    this.#forUser = db.prepare(`SELECT ${columns} FROM api_keys WHERE user_id = ? ORDER BY id`);
    this.#touch = db.prepare("UPDATE api_keys SET last_used_at = ? WHERE id = ?");
    this.#delete = db.prepare("DELETE FROM api_keys WHERE id = ?");
  }

  /** Throws HostError INVALID_INPUT for an empty or over-long name. */
  create(userId: number, name: string, now: number): CreatedApiKey {
    const clean = name.normalize("NFC").trim();
    if (clean.length === 0) throw new HostError("INVALID_INPUT", "the API key needs a name");
    if ([...clean].length > MAX_KEY_NAME_LENGTH)
      throw new HostError(
        "INVALID_INPUT",
        `the API key name is too long: use at most ${MAX_KEY_NAME_LENGTH} characters`,
      );
    const key = `${API_KEY_PREFIX}${randomToken()}`;
    const hint = `${key.slice(0, HINT_LENGTH)}…`;
    const id = Number(this.#insert.run(userId, clean, tokenHash(key), hint, now).lastInsertRowid);
    return { key, info: { id, userId, name: clean, hint, createdAt: now, lastUsedAt: null } };
  }

  /** The owner of `key` with the owner's current role, or null (unknown key, disabled owner). */
  authenticate(key: string, now: number): ApiKeyIdentity | null {
    if (!key.startsWith(API_KEY_PREFIX)) return null;
    const hash = tokenHash(key);
    const row = this.#byHash.get(hash);
    if (row === undefined || !sameHash(row.key_hash, hash) || row.disabled === 1) return null;
    if (row.last_used_at === null || now - row.last_used_at >= this.#touchEveryMs)
      this.#touch.run(now, row.id);
    return { via: "apiKey", apiKeyId: row.id, userId: row.user_id, name: row.user_name, role: row.role };
  }

  get(id: number): ApiKeyInfo | null {
    const row = this.#byId.get(id);
    return row === undefined ? null : toInfo(row);
  }

  forUser(userId: number): ApiKeyInfo[] {
    return this.#forUser.all(userId).map(toInfo);
  }

  /** Throws HostError NOT_FOUND for an unknown key. */
  revoke(id: number): void {
    if (this.#delete.run(id).changes === 0)
      throw new HostError("NOT_FOUND", `no API key ${id}`, { apiKeyId: id });
  }
}

function toInfo(row: KeyRow): ApiKeyInfo {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    hint: row.hint,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
  };
}
