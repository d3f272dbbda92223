import { spawn } from "node:child_process";
import { randomInt } from "node:crypto";
import { resolve } from "node:path";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INTERRUPTED_REASON } from "../../../../server/jobs/history/job-store.ts";
import { SCHEMA_VERSION } from "../../../../server/jobs/history/migrations.ts";
import { type HistoryFixture, historyFixture } from "./history-fixture.ts";

const ROOT = resolve(import.meta.dirname, "../../../..");
const WRITER = resolve(import.meta.dirname, "crash-writer.ts");
/** Each round's samples start here plus round × ROUND_SPAN, so rounds never share a time. */
const ROUND_SPAN = 1e10;

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await historyFixture();
});
afterEach(() => fx.cleanup());

interface Killed {
  finished: number[];
  signal: NodeJS.Signals | null;
  stderr: string;
}

/** Runs the writer and SIGKILLs it once it has reported `killAfter` finished jobs. */
function runAndKill(firstSample: number, killAfter: number): Promise<Killed> {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER, fx.path, String(firstSample)], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const finished: number[] = [];
  let pending = "";
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.on("data", (d: Buffer) => {
    const lines = (pending + d.toString()).split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      const match = /^finished (\d+)$/.exec(line);
      if (match !== null) finished.push(Number(match[1]));
      if (finished.length >= killAfter) child.kill("SIGKILL");
    }
  });
  return new Promise((done) => child.on("close", (_code, signal) => done({ finished, signal, stderr })));
}

function checkFile(firstSample: number): void {
  const db = new Sqlite(fx.path, { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(db.pragma("foreign_key_check")).toEqual([]);
    expect(db.pragma("user_version", { simple: true })).toBe(SCHEMA_VERSION);
    const jobs = db.prepare("SELECT * FROM jobs WHERE user = 'crash'").all() as Record<string, unknown>[];
    for (const row of jobs) {
      const n = Number(/^job-(\d+)\.gcode$/.exec(String(row.file))?.[1]);
      expect(row).toMatchObject({ file_hash: `hash-${n}`, layers: n, estimated_seconds: n * 10 });
      if (row.result === "done")
        expect(row).toMatchObject({
          filament_mm: JSON.stringify([n, n / 2]),
          duration_ms: expect.any(Number),
        });
      else if (row.result === "failed")
        expect(row).toMatchObject({
          reason: INTERRUPTED_REASON,
          ended_at: expect.any(Number),
          filament_mm: "[]",
        });
      else expect(row).toMatchObject({ result: null, ended_at: null, duration_ms: null, filament_mm: "[]" });
    }
    const samples = db
      .prepare("SELECT count(*) AS n FROM temperature_samples WHERE at > ? AND at < ?")
      .get(firstSample, firstSample + ROUND_SPAN) as { n: number };
    expect(samples.n % 8).toBe(0);
  } finally {
    db.close();
  }
}

describe("crash safety", () => {
  it("keeps the file sound and every committed job whole when the writer is SIGKILLed", async () => {
    const everFinished: number[] = [];
    for (let round = 0; round < 4; round++) {
      const firstSample = (round + 1) * ROUND_SPAN;
      const killed = await runAndKill(firstSample, randomInt(1, 60));
      expect(killed.signal, killed.stderr).toBe("SIGKILL");
      everFinished.push(...killed.finished);

      checkFile(firstSample);
      const migrationsBefore = fx.logged("history schema migrated").length;
      const history = fx.history();
      expect(fx.logged("history schema migrated")).toHaveLength(migrationsBefore);
      for (const id of everFinished) expect(history.getJob(id)?.status).toBe("done");
      const open = history.openJobs();
      expect(open.length).toBeLessThanOrEqual(1);
      for (const job of open) {
        expect(job.status).toBe("interrupted");
        expect(job.id).toBeGreaterThan(Math.max(...killed.finished));
      }
      expect(history.markInterrupted()).toEqual(open.map((j) => j.id));
      history.close();
    }
  });
});
