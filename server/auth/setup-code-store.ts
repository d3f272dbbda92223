import type { Database, Statement } from "better-sqlite3";
import { normalizeCode, sameHash, tokenHash } from "./secrets.ts";

interface SetupRow {
  code_hash: Buffer;
  used_at: number | null;
}

/** The one setup code (a single row), stored as the SHA-256 of its normalized form. */
export class SetupCodeStore {
  readonly #set: Statement<[Buffer, number]>;
  readonly #get: Statement<[], SetupRow>;
  readonly #use: Statement<[number]>;

  constructor(db: Database) {
    this.#set = db.prepare(
      `INSERT INTO setup_code (id, code_hash, created_at, used_at) VALUES (1, ?, ?, NULL)
       ON CONFLICT (id) DO UPDATE SET code_hash = excluded.code_hash, created_at = excluded.created_at, used_at = NULL`,
    );
    this.#get = db.prepare("SELECT code_hash, used_at FROM setup_code WHERE id = 1");
    this.#use = db.prepare("UPDATE setup_code SET used_at = ? WHERE id = 1");
  }

  /** Replaces any earlier code: only the latest one printed works. */
  replace(code: string, now: number): void {
    this.#set.run(tokenHash(normalizeCode(code)), now);
  }

  /** True when `code` is the current code and has not been used. */
  matches(code: string): boolean {
    const row = this.#get.get();
    return (
      row !== undefined && row.used_at === null && sameHash(row.code_hash, tokenHash(normalizeCode(code)))
    );
  }

  markUsed(now: number): void {
    this.#use.run(now);
  }
}
