import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS, type Migration, SCHEMA_VERSION } from "../../../../server/jobs/history/migrations.ts";
import { HostError } from "../../../../server/util/errors.ts";
import { silentLogger } from "../../../../server/util/log.ts";
import { migrate } from "../../../../server/util/sqlite/migrate.ts";
import { type HistoryFixture, historyFixture, job, T0 } from "./history-fixture.ts";

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await historyFixture();
});
afterEach(() => fx.cleanup());

function raw(path = fx.path): Sqlite.Database {
  mkdirSync(join(path, ".."), { recursive: true });
  return new Sqlite(path);
}

function openError(): HostError {
  const history = fx.history({}, false);
  try {
    history.open();
  } catch (err) {
    expect(history.isOpen).toBe(false);
    if (err instanceof HostError) return err;
    throw err;
  }
  throw new Error("open() succeeded");
}

describe("opening the history database", () => {
  it("creates the folder and the file, in WAL mode, at the latest schema version", () => {
    fx.history().close();
    const db = raw();
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    db.close();
    expect(fx.logged("history schema migrated").map((l) => l.version)).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
  });

  it("applies no migration when reopened and keeps what was written", () => {
    const first = fx.history();
    const id = first.startJob(job);
    first.close();
    const migrated = fx.logged("history schema migrated").length;

    const second = fx.history();
    expect(fx.logged("history schema migrated")).toHaveLength(migrated);
    expect(second.getJob(id)?.file).toBe("cube.gcode");
  });

  it("upgrades a version 1 database to the latest and keeps its rows", () => {
    const db = raw();
    migrate(db, MIGRATIONS.slice(0, 1), fx.path, silentLogger());
    db.prepare(
      `INSERT INTO jobs (file, file_hash, user, started_at, ended_at, duration_ms, result, layers, estimated_seconds, filament_mm)
       VALUES ('old.gcode', 'h1', NULL, ?, ?, 60000, 'done', 12, 55.5, '[1234.5]')`,
    ).run(T0, T0 + 60_000);
    db.prepare("INSERT INTO events (at, kind, message, job_id) VALUES (?, 'job', 'finished', 1)").run(
      T0 + 60_000,
    );
    db.prepare("INSERT INTO temperature_samples VALUES (?, 'B', 60.5, 60)").run(T0 + 1000);
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    db.close();

    const history = fx.history();
    expect(history.getJob(1)).toEqual({
      id: 1,
      file: "old.gcode",
      fileHash: "h1",
      user: null,
      startedAt: T0,
      endedAt: T0 + 60_000,
      durationMs: 60_000,
      result: "done",
      status: "done",
      reason: null,
      layers: 12,
      estimatedSeconds: 55.5,
      filamentMm: [1234.5],
      resumedFrom: null,
      startLayer: 0,
      timelapsePath: null,
    });
    expect(history.eventsForJob(1).map((e) => e.message)).toEqual(["finished"]);
    expect(history.temperaturesForJob(1)).toEqual([{ at: T0 + 1000, heater: "B", actual: 60.5, target: 60 }]);
    expect(fx.logged("history schema migrated").map((l) => l.version)).toEqual([2]);
    const next = history.startJob({ ...job, resumedFrom: 1, startLayer: 7 });
    expect(history.getJob(next)).toMatchObject({ resumedFrom: 1, startLayer: 7 });
  });

  it("refuses a database written by a newer version and leaves it untouched", () => {
    const db = raw();
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const before = readFileSync(fx.path);

    const err = openError();
    expect(err.code).toBe("DATABASE");
    expect(err.message).toContain(fx.path);
    expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 1}, newer than this Layerwatch knows`);
    expect(readFileSync(fx.path)).toEqual(before);
  });

  it("names the path when the file is not a database", () => {
    mkdirSync(join(fx.path, ".."), { recursive: true });
    writeFileSync(fx.path, randomBytes(16_384));
    const err = openError();
    expect(err.code).toBe("DATABASE");
    expect(err.message).toContain(fx.path);
    expect(err.message).toMatch(/not a database/);
  });

  it("names the path when the schema pages are damaged", () => {
    fx.history().close();
    const bytes = readFileSync(fx.path);
    // Keep the 100-byte file header; overwrite the rest of page 1, which holds the schema.
    randomBytes(4096 - 100).copy(bytes, 100);
    writeFileSync(fx.path, bytes);
    const err = openError();
    expect(err.code).toBe("DATABASE");
    expect(err.message).toContain(fx.path);
  });

  it("names the path when its folder cannot be created", () => {
    const blocker = join(fx.dir, "data");
    writeFileSync(blocker, "a file where the folder should be");
    const err = openError();
    expect(err.code).toBe("DATABASE");
    expect(err.message).toContain(fx.path);
  });

  it("is unusable until opened and after closing", () => {
    const history = fx.history({}, false);
    expect(() => history.startJob(job)).toThrow(expect.objectContaining({ code: "INVALID_STATE" }));
    history.open();
    expect(() => history.open()).toThrow(expect.objectContaining({ code: "INVALID_STATE" }));
    history.close();
    history.close();
    expect(() => history.listJobs({ limit: 1 })).toThrow(expect.objectContaining({ code: "INVALID_STATE" }));
  });
});

describe("migrate", () => {
  const first = MIGRATIONS[0] as Migration;

  it("rolls back a failing step and stays at the previous version", () => {
    const db = raw();
    const broken: Migration = {
      version: 2,
      name: "broken",
      up: (d) => {
        d.exec("CREATE TABLE half_done (a INTEGER)");
        throw new Error("boom");
      },
    };
    expect(() => migrate(db, [first, broken], fx.path, silentLogger())).toThrow(
      expect.objectContaining({ code: "DATABASE", message: `${fx.path}: migration 2 (broken) failed: boom` }),
    );
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").all()).toEqual([]);
    db.close();
  });

  it("refuses a step that leaves a broken foreign key", () => {
    const db = raw();
    const orphan: Migration = {
      version: 2,
      name: "orphan event",
      up: "INSERT INTO events (at, kind, message, job_id) VALUES (0, 'job', 'x', 42)",
    };
    expect(() => migrate(db, [first, orphan], fx.path, silentLogger())).toThrow(/rows break a foreign key/);
    expect(db.pragma("user_version", { simple: true })).toBe(1);
    db.close();
  });

  it("refuses a list whose versions do not run 1, 2, 3, …", () => {
    const db = raw();
    const gap: Migration = { version: 3, name: "gap", up: "SELECT 1" };
    expect(() => migrate(db, [first, gap], fx.path, silentLogger())).toThrow(/has version 3, expected 2/);
    expect(db.pragma("user_version", { simple: true })).toBe(0);
    db.close();
  });
});
