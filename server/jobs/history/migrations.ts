import type { Migration } from "../../util/sqlite/migrate.ts";

/** Steps of the history schema; see `Migration` for the rules every step follows. */
export type { Migration };

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "jobs, temperature samples and events",
    // Times are integer ms since the epoch. AUTOINCREMENT keeps a deleted job's id from being reused
    // (ids appear in URLs, events and recovery). Temperature samples are clustered on (at, heater)
    // with no rowid: one b-tree to write instead of a table plus a time index.
    up: `
      CREATE TABLE jobs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        file TEXT NOT NULL,
        file_hash TEXT NOT NULL,
        user TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        duration_ms INTEGER,
        result TEXT CHECK (result IN ('done', 'cancelled', 'failed')),
        reason TEXT,
        layers INTEGER,
        estimated_seconds REAL,
        filament_mm TEXT NOT NULL DEFAULT '[]',
        CHECK ((result IS NULL) = (ended_at IS NULL) AND (ended_at IS NULL) = (duration_ms IS NULL))
      ) STRICT;
      CREATE INDEX jobs_started_at ON jobs (started_at);

      CREATE TABLE temperature_samples (
        at INTEGER NOT NULL,
        heater TEXT NOT NULL,
        actual REAL NOT NULL,
        target REAL,
        PRIMARY KEY (at, heater)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        message TEXT NOT NULL,
        job_id INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
        data TEXT
      ) STRICT;
      CREATE INDEX events_at ON events (at);
      CREATE INDEX events_job_id ON events (job_id);
    `,
  },
  {
    version: 2,
    name: "job recovery and time-lapse",
    up: `
      ALTER TABLE jobs ADD COLUMN resumed_from INTEGER REFERENCES jobs (id) ON DELETE SET NULL;
      ALTER TABLE jobs ADD COLUMN start_layer INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE jobs ADD COLUMN timelapse_path TEXT;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;
