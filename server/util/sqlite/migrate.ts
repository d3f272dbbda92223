import type { Database } from "better-sqlite3";
import { HostError } from "../errors.ts";
import type { Logger } from "../log.ts";

/**
 * One step of a schema. Versions run 1, 2, 3, … with no gaps; a database at version N has had
 * steps 1..N applied, each in its own transaction. A released step is never edited: changes are
 * new steps. A step that rebuilds a table may do so freely: foreign keys are off while steps run
 * and `PRAGMA foreign_key_check` must pass before each commits (SQLite's ALTER TABLE procedure).
 */
export interface Migration {
  version: number;
  name: string;
  up: string | ((db: Database) => void);
}

export interface MigrationOutcome {
  from: number;
  to: number;
}

/**
 * Brings the database at `path` up to the last step of `migrations`, tracked in `PRAGMA
 * user_version` (0 for a new file). Each step and its version bump commit together, so a crash
 * leaves the database at the previous version or the next, never between. Throws HostError DATABASE
 * when the file is newer than `migrations` knows or a step fails (that step is rolled back).
 * Leaves foreign keys off; the caller turns them on. Each step is logged as "<label> schema migrated".
 */
export function migrate(
  db: Database,
  migrations: readonly Migration[],
  path: string,
  log: Logger,
  label = "database",
): MigrationOutcome {
  checkOrder(migrations);
  const latest = migrations.length;
  const from = db.pragma("user_version", { simple: true }) as number;
  if (from > latest)
    throw new HostError(
      "DATABASE",
      `${path} has schema version ${from}, newer than this Layerwatch knows (${latest}): it was written by a newer version; upgrade Layerwatch or move the file aside`,
      { path, version: from, known: latest },
    );
  if (from === latest) return { from, to: from };

  // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched off around the steps.
  db.pragma("foreign_keys = OFF");
  for (const step of migrations.slice(from)) {
    try {
      db.transaction(() => {
        if (typeof step.up === "string") db.exec(step.up);
        else step.up(db);
        const broken = db.pragma("foreign_key_check") as unknown[];
        if (broken.length > 0) throw new Error(`${broken.length} rows break a foreign key`);
        db.pragma(`user_version = ${step.version}`);
      })();
    } catch (err) {
      throw new HostError(
        "DATABASE",
        `${path}: migration ${step.version} (${step.name}) failed: ${(err as Error).message}`,
        { path, version: step.version, cause: err },
      );
    }
    log.info({ version: step.version, name: step.name }, `${label} schema migrated`);
  }
  return { from, to: latest };
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((step, i) => {
    if (step.version !== i + 1)
      throw new HostError(
        "DATABASE",
        `migration "${step.name}" has version ${step.version}, expected ${i + 1}: versions run 1, 2, 3, … without gaps`,
      );
  });
}
