import path from "node:path";
import { AuthStore } from "../auth/auth-store.ts";
import type { User } from "../auth/types.ts";
import { HostError } from "../util/errors.ts";
import { createRootLogger } from "../util/log.ts";

/** `<data>/auth.db`, the file the daemon and these commands share (SQLite WAL: both may have it open). */
export function authDbPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), "auth.db");
}

/** Opens the access-control store of a data directory, runs `body`, closes it. */
export async function withAuthStore<T>(dataDir: string, body: (store: AuthStore) => Promise<T>): Promise<T> {
  const store = new AuthStore({ path: authDbPath(dataDir), log: createRootLogger({ level: "warn" }) });
  store.open();
  try {
    return await body(store);
  } finally {
    store.close();
  }
}

/** A password from standard input: everything up to the first newline (so `echo pw |` works). */
export async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    throw new HostError("USAGE", "the password is read from standard input: echo … | layerwatch …");
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  return text.split(/\r?\n/)[0] ?? "";
}

export function requireUser(store: AuthStore, name: string): User {
  const user = store.findUser(name);
  if (user === null) throw new HostError("NOT_FOUND", `no user '${name}'`);
  return user;
}
