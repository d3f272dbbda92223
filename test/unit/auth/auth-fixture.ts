import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { AuthStore } from "../../../server/auth/auth-store.ts";
import type { ScryptParams } from "../../../server/auth/password.ts";
import type { AuthStoreDeps, User } from "../../../server/auth/types.ts";
import { HostError } from "../../../server/util/errors.ts";
import { silentLogger } from "../../../server/util/log.ts";

/** 2025-01-01T00:00:00Z */
export const T0 = Date.UTC(2025, 0, 1);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

/** Cheap scrypt for tests that hash many times; the default cost is tested in password.test.ts. */
export const FAST_SCRYPT: ScryptParams = { N: 1024, r: 8, p: 1 };

export const PASSWORD = "correct horse battery";

/** A temp folder, a hand-driven clock and the AuthStores made through it. */
export class AuthFixture {
  now = T0;
  readonly #made: AuthStore[] = [];

  constructor(readonly dir: string) {}

  get path(): string {
    return join(this.dir, "data", "auth.db");
  }

  readonly clock = (): number => this.now;

  /** An AuthStore on `path` with the fixture's clock and fast scrypt; opened unless `open` is false. */
  store(deps: Partial<AuthStoreDeps> = {}, open = true): AuthStore {
    const store = new AuthStore({
      path: this.path,
      log: silentLogger(),
      clock: this.clock,
      scrypt: FAST_SCRYPT,
      ...deps,
    });
    this.#made.push(store);
    if (open) store.open();
    return store;
  }

  /** Runs a query on a second, read-only connection to the file: what was really stored. */
  query(sql: string, ...params: unknown[]): Record<string, unknown>[] {
    const db = new Sqlite(this.path, { readonly: true });
    try {
      return db.prepare(sql).all(...params) as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }

  async cleanup(): Promise<void> {
    for (const store of this.#made) store.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export async function authFixture(): Promise<AuthFixture> {
  return new AuthFixture(await mkdtemp(join(tmpdir(), "layerwatch-auth-")));
}

/** An admin "ada" made through the setup flow, plus the users in `others`. */
export async function withUsers(
  store: AuthStore,
  others: { name: string; role: "admin" | "operator" | "viewer" }[] = [],
): Promise<User[]> {
  const code = store.setupCode() as string;
  const admin = await store.createFirstAdmin(code, "ada", PASSWORD);
  const rest: User[] = [];
  for (const other of others) rest.push(await store.createUser({ ...other, password: PASSWORD }));
  return [admin, ...rest];
}

/** The HostError a promise or function rejects/throws with. */
export async function failure(action: () => unknown): Promise<HostError> {
  try {
    await action();
  } catch (err) {
    if (err instanceof HostError) return err;
    throw err;
  }
  throw new Error("expected a HostError, but it succeeded");
}
