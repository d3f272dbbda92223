import type { Database, Statement } from "better-sqlite3";
import { HostError } from "../util/errors.ts";
import type { Role } from "./roles.ts";
import type { User } from "./types.ts";

const MAX_NAME_LENGTH = 64;

interface UserRow {
  id: number;
  name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  disabled: number;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

/**
 * A user name as stored: NFC-normalized and trimmed, 1–64 characters, no control characters.
 * Throws HostError INVALID_INPUT otherwise.
 */
export function cleanName(name: string): string {
  const clean = name.normalize("NFC").trim();
  const length = [...clean].length;
  if (length === 0) throw new HostError("INVALID_INPUT", "the user name is empty");
  if (length > MAX_NAME_LENGTH)
    throw new HostError(
      "INVALID_INPUT",
      `the user name is too long: use at most ${MAX_NAME_LENGTH} characters`,
    );
  if (/\p{Cc}/u.test(clean))
    throw new HostError("INVALID_INPUT", "the user name contains control characters");
  return clean;
}

/** What names are unique by: `Ada` and `ada` (and their NFC/NFD spellings) are the same user. */
export function nameKey(name: string): string {
  return name.normalize("NFC").trim().toLowerCase();
}

/** SQL for the users table; callers validate and hash. */
export class UserStore {
  readonly #insert: Statement<[string, string, Role, string, number]>;
  readonly #byId: Statement<[number], UserRow>;
  readonly #byKey: Statement<[string], UserRow>;
  readonly #all: Statement<[], UserRow>;
  readonly #count: Statement<[], { n: number }>;
  readonly #countAdmins: Statement<[], { n: number }>;
  readonly #setRole: Statement<[Role, number]>;
  readonly #setDisabled: Statement<[number, number]>;
  readonly #setHash: Statement<[string, number]>;
  readonly #delete: Statement<[number]>;

  constructor(db: Database) {
    const columns = "id, name, role, password_hash, created_at, disabled";
    this.#insert = db.prepare(
      "INSERT INTO users (name, name_key, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)",
    );
    this.#byId = db.prepare(`SELECT ${columns} FROM users WHERE id = ?`);
    this.#byKey = db.prepare(`SELECT ${columns} FROM users WHERE name_key = ?`);
    this.#all = db.prepare(`SELECT ${columns} FROM users ORDER BY name_key`);
    this.#count = db.prepare("SELECT count(*) AS n FROM users");
    this.#countAdmins = db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin' AND disabled = 0");
    this.#setRole = db.prepare("UPDATE users SET role = ? WHERE id = ?");
    this.#setDisabled = db.prepare("UPDATE users SET disabled = ? WHERE id = ?");
    this.#setHash = db.prepare("UPDATE users SET password_hash = ? WHERE id = ?");
    this.#delete = db.prepare("DELETE FROM users WHERE id = ?");
  }

  /** Throws HostError CONFLICT when the name (case-insensitively) is taken. */
  insert(name: string, role: Role, passwordHash: string, now: number): User {
    if (this.#byKey.get(nameKey(name)) !== undefined)
      throw new HostError("CONFLICT", `a user named "${name}" already exists`, { name });
    const id = Number(this.#insert.run(name, nameKey(name), role, passwordHash, now).lastInsertRowid);
    return { id, name, role, createdAt: now, disabled: false };
  }

  get(id: number): UserWithHash | null {
    const row = this.#byId.get(id);
    return row === undefined ? null : toUser(row);
  }

  byName(name: string): UserWithHash | null {
    const row = this.#byKey.get(nameKey(name));
    return row === undefined ? null : toUser(row);
  }

  /** Throws HostError NOT_FOUND for an unknown id. */
  require(id: number): UserWithHash {
    const user = this.get(id);
    if (user === null) throw new HostError("NOT_FOUND", `no user ${id}`, { userId: id });
    return user;
  }

  list(): User[] {
    return this.#all.all().map((row) => {
      const { passwordHash: _, ...user } = toUser(row);
      return user;
    });
  }

  count(): number {
    return this.#count.get()?.n ?? 0;
  }

  /** Enabled admins. */
  countAdmins(): number {
    return this.#countAdmins.get()?.n ?? 0;
  }

  setRole(id: number, role: Role): void {
    this.#setRole.run(role, id);
  }

  setDisabled(id: number, disabled: boolean): void {
    this.#setDisabled.run(disabled ? 1 : 0, id);
  }

  setPasswordHash(id: number, hash: string): void {
    this.#setHash.run(hash, id);
  }

  delete(id: number): void {
    this.#delete.run(id);
  }
}

function toUser(row: UserRow): UserWithHash {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    createdAt: row.created_at,
    disabled: row.disabled === 1,
    passwordHash: row.password_hash,
  };
}
