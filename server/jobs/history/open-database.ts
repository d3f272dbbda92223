import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Sqlite, { type Database } from "better-sqlite3";
import { HostError, isHostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import { migrate } from "./migrate.ts";
import { MIGRATIONS, type Migration } from "./migrations.ts";

/** How long a statement waits for another connection's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating it and its folder if needed) the history database at `path`, in WAL mode, and
 * migrates it to the latest schema. Any failure is a HostError DATABASE that names the path: a file
 * that is not SQLite or is damaged, a folder that cannot be written, a schema newer than this code.
 *
 * Durability, for a Pi whose power can blink:
 * - WAL with `synchronous=NORMAL`: a commit appends to the WAL without an fsync; the WAL is synced
 *   before each checkpoint. A killed process (SIGKILL, OOM, crash) loses no committed transaction,
 *   because its writes sit in the kernel's page cache, which outlives the process. A power loss or
 *   kernel panic can lose the commits made since the last sync, but cannot corrupt the file: WAL
 *   frames are checksummed and recovery stops at the first incomplete one.
 * - `synchronous=FULL` also syncs the WAL at every commit, so that commit survives power loss. Each
 *   sync forces a partial flash page out; for a temperature batch every few seconds that is write
 *   amplification an SD card pays for, for samples nobody misses.
 * So the connection runs NORMAL, and the job rows, few and the point of the history and of print
 * recovery, commit with FULL (`durableRunner`); that sync also carries every earlier commit.
 */
export function openDatabase(
  path: string,
  log: Logger,
  migrations: readonly Migration[] = MIGRATIONS,
): Database {
  let db: Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Sqlite(path);
  } catch (err) {
    throw new HostError("DATABASE", `cannot open the history database ${path}: ${(err as Error).message}`, {
      path,
      cause: err,
    });
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Reads the schema pages: a damaged file fails here rather than at the first query.
    db.prepare("SELECT count(*) FROM sqlite_schema").get();
    // Before WAL mode, which rewrites the file header: a refused file is left as it was.
    const { from, to } = migrate(db, migrations, path, log);
    const mode = db.pragma("journal_mode = WAL", { simple: true });
    if (mode !== "wal") log.warn({ path, mode }, "history database is not in WAL mode");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    log.info({ path, version: to, migratedFrom: from === to ? undefined : from }, "history database open");
    return db;
  } catch (err) {
    db.close();
    if (isHostError(err)) throw err;
    throw new HostError(
      "DATABASE",
      `cannot open the history database ${path}: ${(err as Error).message} (is it a Layerwatch database? move it aside to start a new one)`,
      { path, cause: err },
    );
  }
}

/**
 * Wraps a transaction so its commit is synced to storage (`synchronous=FULL`), then returns the
 * connection to NORMAL. The pragma statements are prepared once, here.
 */
export function durableRunner(
  db: Database,
): <A extends unknown[], R>(tx: (...args: A) => R, ...args: A) => R {
  const full = db.prepare("PRAGMA synchronous = FULL");
  const normal = db.prepare("PRAGMA synchronous = NORMAL");
  return (tx, ...args) => {
    full.run();
    try {
      return tx(...args);
    } finally {
      normal.run();
    }
  };
}
