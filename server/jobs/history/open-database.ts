import type { Database } from "better-sqlite3";
import type { Logger } from "../../util/log.ts";
import { openDatabase as openSqlite } from "../../util/sqlite/open-database.ts";
import { MIGRATIONS, type Migration } from "./migrations.ts";

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
  return openSqlite({ path, log, label: "history", migrations, synchronous: "NORMAL" });
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
