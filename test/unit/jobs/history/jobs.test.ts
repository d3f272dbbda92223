import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { JobResult } from "../../../../server/jobs/history/types.ts";
import { type HistoryFixture, historyFixture, job, SECOND, T0 } from "./history-fixture.ts";

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await historyFixture();
});
afterEach(() => fx.cleanup());

const notFound = expect.objectContaining({ code: "NOT_FOUND" });

describe("job lifecycle", () => {
  it("records a start, then how and when the job ended", () => {
    const history = fx.history();
    const id = history.startJob(job);
    expect(history.getJob(id)).toEqual({
      id,
      ...job,
      startedAt: T0,
      endedAt: null,
      durationMs: null,
      result: null,
      status: "running",
      reason: null,
      filamentMm: [],
      resumedFrom: null,
      startLayer: 0,
      timelapsePath: null,
    });

    fx.now += 90 * SECOND;
    const done = history.finishJob(id, { result: "done", filamentMm: [1520.5, 0] });
    expect(done).toMatchObject({ endedAt: T0 + 90 * SECOND, durationMs: 90 * SECOND, status: "done" });
    expect(done.filamentMm).toEqual([1520.5, 0]);
    expect(history.getJob(id)).toEqual(done);
  });

  it("takes explicit times, a reason and a time-lapse", () => {
    const history = fx.history();
    const id = history.startJob({ ...job, user: null, startedAt: T0 - 5000 });
    history.setTimelapse(id, "/data/timelapse/1.mp4");
    const ended = history.finishJob(id, { result: "cancelled", reason: "by ada", endedAt: T0 });
    expect(ended).toMatchObject({
      user: null,
      durationMs: 5000,
      result: "cancelled",
      reason: "by ada",
      timelapsePath: "/data/timelapse/1.mp4",
    });
  });

  it("never records a negative duration when the clock stepped back", () => {
    const history = fx.history();
    const id = history.startJob(job);
    expect(history.finishJob(id, { result: "failed", endedAt: T0 - 1 }).durationMs).toBe(0);
  });

  it("refuses to end a job twice, or one it does not have", () => {
    const history = fx.history();
    const id = history.startJob(job);
    history.finishJob(id, { result: "done" });
    expect(() => history.finishJob(id, { result: "failed" })).toThrow(
      expect.objectContaining({ code: "INVALID_STATE", message: `job ${id} already ended (done)` }),
    );
    expect(history.getJob(id)?.result).toBe("done");
    expect(() => history.finishJob(999, { result: "done" })).toThrow(notFound);
    expect(() => history.setTimelapse(999, "x")).toThrow(notFound);
    expect(history.getJob(999)).toBeNull();
  });

  it("rejects filament lengths that are not numbers", () => {
    const history = fx.history();
    const id = history.startJob(job);
    expect(() => history.finishJob(id, { result: "done", filamentMm: [Number.NaN] })).toThrow(RangeError);
    expect(history.getJob(id)?.status).toBe("running");
  });

  it("deletes a finished job but not the running one, and keeps ids unique", () => {
    const history = fx.history();
    const first = history.startJob(job);
    history.finishJob(first, { result: "done" });
    const second = history.startJob(job);
    expect(() => history.deleteJob(second)).toThrow(expect.objectContaining({ code: "BUSY" }));
    history.finishJob(second, { result: "done" });
    history.deleteJob(second);
    history.deleteJob(first);
    expect(history.countJobs()).toBe(0);
    expect(() => history.deleteJob(first)).toThrow(notFound);
    expect(history.startJob(job)).toBe(second + 1);
  });
});

describe("listing", () => {
  const results: (JobResult | null)[] = ["done", "cancelled", "failed", "done", null];

  function fill(): number[] {
    const history = fx.history();
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) {
      const id = history.startJob({ ...job, file: `part-${i}.gcode`, startedAt: T0 + i * 60 * SECOND });
      const result = results[i % results.length] ?? null;
      if (result !== null) history.finishJob(id, { result, endedAt: T0 + i * 60 * SECOND + 1 });
      ids.push(id);
    }
    history.close();
    return ids;
  }

  it("lists newest first, a page at a time", () => {
    const ids = fill();
    const history = fx.history();
    const newestFirst = [...ids].reverse();
    expect(history.listJobs({ limit: 10 }).map((j) => j.id)).toEqual(newestFirst.slice(0, 10));
    expect(history.listJobs({ limit: 10, offset: 10 }).map((j) => j.id)).toEqual(newestFirst.slice(10, 20));
    expect(history.listJobs({ limit: 10, offset: 20 }).map((j) => j.id)).toEqual(newestFirst.slice(20));
    expect(history.listJobs({ limit: 10, offset: 30 })).toEqual([]);
    expect(history.countJobs()).toBe(25);
  });

  it("filters by result, null meaning jobs that have none", () => {
    fill();
    const history = fx.history();
    expect(history.countJobs("done")).toBe(10);
    expect(history.listJobs({ limit: 100, result: "cancelled" }).map((j) => j.file)).toEqual([
      "part-21.gcode",
      "part-16.gcode",
      "part-11.gcode",
      "part-6.gcode",
      "part-1.gcode",
    ]);
    const open = history.listJobs({ limit: 100, result: null });
    expect(open).toHaveLength(5);
    expect(history.countJobs(null)).toBe(5);
    // Started by the daemon run that closed above: interrupted, not running.
    expect(new Set(open.map((j) => j.status))).toEqual(new Set(["interrupted"]));
  });

  it("rejects a negative or fractional page", () => {
    const history = fx.history();
    expect(() => history.listJobs({ limit: -1 })).toThrow(RangeError);
    expect(() => history.listJobs({ limit: 10, offset: 1.5 })).toThrow(RangeError);
  });
});

describe("interrupted jobs", () => {
  /** A daemon run that starts a job, records samples and events, and stops without ending it. */
  function dieDuring(startedAt: number, lastSample: number | null): number {
    const history = fx.history();
    const id = history.startJob({ ...job, startedAt });
    if (lastSample !== null) {
      for (let at = startedAt; at <= lastSample; at += SECOND)
        history.recordTemperatures({ B: { actual: 60, target: 60 } }, at);
      history.recordEvent({ kind: "job", message: "layer 1", jobId: id, at: startedAt + 500 });
    }
    history.close();
    return id;
  }

  it("lists a job the daemon stopped during as interrupted until it is marked", () => {
    const id = dieDuring(T0, T0 + 30 * SECOND);
    const history = fx.history();
    expect(history.getJob(id)?.status).toBe("interrupted");
    expect(history.openJobs().map((j) => j.id)).toEqual([id]);

    fx.now = T0 + 3600 * SECOND;
    expect(history.markInterrupted()).toEqual([id]);
    expect(history.getJob(id)).toMatchObject({
      result: "failed",
      status: "failed",
      reason: "interrupted (the daemon stopped)",
      endedAt: T0 + 30 * SECOND,
      durationMs: 30 * SECOND,
    });
    expect(history.openJobs()).toEqual([]);
  });

  it("ends a job with no sign of life at `now`", () => {
    const id = dieDuring(T0, null);
    const history = fx.history();
    history.markInterrupted(T0 + 10 * SECOND);
    expect(history.getJob(id)).toMatchObject({ endedAt: T0 + 10 * SECOND, durationMs: 10 * SECOND });
  });

  it("leaves the job handed to recovery open, and records the job resuming it", () => {
    const older = dieDuring(T0, T0 + 5 * SECOND);
    const recovered = dieDuring(T0 + 60 * SECOND, T0 + 90 * SECOND);
    const history = fx.history();
    const open = history.openJobs();
    expect(open.map((j) => j.id)).toEqual([older, recovered]);

    expect(history.markInterrupted(T0 + 100 * SECOND, [recovered])).toEqual([older]);
    const resumed = history.startJob({ ...job, resumedFrom: recovered, startLayer: 42 });
    expect(history.getJob(resumed)).toMatchObject({
      resumedFrom: recovered,
      startLayer: 42,
      status: "running",
    });
    expect(history.getJob(recovered)?.status).toBe("interrupted");
    expect(() => history.startJob({ ...job, resumedFrom: 999 })).toThrow(notFound);
  });

  it("does not touch the job this run is printing", () => {
    const history = fx.history();
    const id = history.startJob(job);
    expect(history.markInterrupted()).toEqual([]);
    expect(history.getJob(id)?.status).toBe("running");
  });

  it("forgets the resumed link when the interrupted job's record is deleted", () => {
    const interrupted = dieDuring(T0, null);
    const history = fx.history();
    const resumed = history.startJob({ ...job, resumedFrom: interrupted });
    history.deleteJob(interrupted);
    expect(history.getJob(resumed)?.resumedFrom).toBeNull();
  });
});
