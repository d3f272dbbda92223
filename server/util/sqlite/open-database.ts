import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Sqlite, { type Database } from "better-sqlite3";
import { HostError, isHostError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type Migration, migrate } from "./migrate.ts";

/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export interface OpenDatabaseOptions {
  /** The SQLite file; its folder is created if missing. */
  path: string;
  log: Logger;
  /** Names the database in messages and logs, e.g. "history" → "cannot open the history database …". */
  label: string;
  migrations: readonly Migration[];
  /**
   * `NORMAL` (default): in WAL mode a commit survives a killed process but the last commits may be
   * lost on power loss (never corrupting the file). `FULL`: every commit is synced to storage.
   */
  synchronous?: "NORMAL" | "FULL";
}

/**
 * Opens (creating it and its folder if needed) the SQLite file at `path`, migrates it to the last of
 * `migrations`, then switches it to WAL mode with foreign keys on. Any failure is a HostError
 * DATABASE that names the path: a file that is not SQLite or is damaged, a folder that cannot be
 * written, a schema newer than this code. On failure the connection is closed.
 */
export function openDatabase(options: OpenDatabaseOptions): Database {
  const { path, log, label, migrations } = options;
  let db: Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Sqlite(path);
  } catch (err) {
    throw new HostError("DATABASE", `cannot open the ${label} database ${path}: ${(err as Error).message}`, {
      path,
      cause: err,
    });
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Reads the schema pages: a damaged file fails here rather than at the first query.
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
    // Before WAL mode, which rewrites the file header: a refused file is left as it was.
    const { from, to } = migrate(db, migrations, path, log, label);
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal") log.warn({ path, mode }, `${label} database is not in WAL mode`);
    db.pragma(`synchronous = ${options.synchronous ?? "NORMAL"}`);
    db.pragma("foreign_keys = ON");
    log.info({ path, version: to, migratedFrom: from === to ? undefined : from }, `${label} database open`);
    return db;
  } catch (err) {
    db.close();
    if (isHostError(err)) throw err;
    throw new HostError(
      "DATABASE",
      `cannot open the ${label} database ${path}: ${(err as Error).message} (is it a Layerwatch database? move it aside to start a new one)`,
      { path, cause: err },
    );
  }
}
