import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type HistoryFixture, historyFixture, job, SECOND, T0 } from "./history-fixture.ts";

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await historyFixture();
});
afterEach(async () => {
  vi.useRealTimers();
  await fx.cleanup();
});

/** Rows in the file, read through a second connection: what a crash right now would leave. */
function rowsOnDisk(): number {
  const db = new Sqlite(fx.path, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM temperature_samples").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const report = {
  T0: { actual: 210.4, target: 210, power: 90 },
  B: { actual: 60.1, target: 60 },
  C: { actual: 31.5, target: null },
};

describe("temperature samples", () => {
  it("keeps every heater's actual and target", () => {
    const history = fx.history();
    expect(history.recordTemperatures(report)).toBe(3);
    expect(history.temperaturesBetween(T0, T0)).toEqual([
      { at: T0, heater: "B", actual: 60.1, target: 60 },
      { at: T0, heater: "C", actual: 31.5, target: null },
      { at: T0, heater: "T0", actual: 210.4, target: 210 },
    ]);
    expect(history.temperaturesBetween(T0, T0, ["B", "T0"]).map((s) => s.heater)).toEqual(["B", "T0"]);
    expect(history.temperaturesBetween(T0 + 1, T0 + 10 * SECOND)).toEqual([]);
  });

  it("drops a heater's samples closer than 900 ms to its last one", () => {
    const history = fx.history();
    history.recordTemperatures({ B: { actual: 60, target: 60 } }, T0);
    expect(history.recordTemperatures({ B: { actual: 61, target: 60 } }, T0 + 500)).toBe(0);
    expect(history.recordTemperatures({ B: { actual: 62, target: 60 }, T0: report.T0 }, T0 + 899)).toBe(1);
    expect(history.recordTemperatures({ B: { actual: 63, target: 60 }, T0: report.T0 }, T0 + 900)).toBe(1);
    expect(history.temperaturesBetween(T0, T0 + SECOND).map((s) => [s.at - T0, s.heater, s.actual])).toEqual([
      [0, "B", 60],
      [899, "T0", 210.4],
      [900, "B", 63],
    ]);
  });

  it("keeps samples after the clock steps back", () => {
    const history = fx.history();
    history.recordTemperatures({ B: { actual: 60, target: 60 } }, T0);
    expect(history.recordTemperatures({ B: { actual: 20, target: 0 } }, T0 - 3600 * SECOND)).toBe(1);
    expect(history.recordTemperatures({ B: { actual: 21, target: 0 } }, T0 - 3600 * SECOND + 1)).toBe(0);
    expect(history.temperaturesBetween(0, T0)).toHaveLength(2);
  });

  it("skips readings that are not finite numbers", () => {
    const history = fx.history();
    const queued = history.recordTemperatures({
      B: { actual: Number.NaN, target: 60 },
      T0: { actual: 200, target: Number.POSITIVE_INFINITY },
    });
    expect(queued).toBe(1);
    expect(history.temperaturesBetween(T0, T0)).toEqual([
      { at: T0, heater: "T0", actual: 200, target: null },
    ]);
  });

  it("returns a job's samples from its start to its end", () => {
    const history = fx.history();
    for (let s = 0; s < 10; s++)
      history.recordTemperatures({ B: { actual: s, target: 60 } }, T0 + s * SECOND);
    const id = history.startJob({ ...job, startedAt: T0 + 3 * SECOND });
    history.finishJob(id, { result: "done", endedAt: T0 + 6 * SECOND });
    expect(history.temperaturesForJob(id).map((s) => s.actual)).toEqual([3, 4, 5, 6]);
    expect(() => history.temperaturesForJob(999)).toThrow(expect.objectContaining({ code: "NOT_FOUND" }));
  });
});

describe("batching", () => {
  it("writes nothing until maxRows samples wait, then all of them in one go", () => {
    const history = fx.history({ temperatureBatching: { maxRows: 9, maxDelayMs: 60_000 } });
    for (let s = 0; s < 2; s++) history.recordTemperatures(report, T0 + s * SECOND);
    expect(rowsOnDisk()).toBe(0);
    history.recordTemperatures(report, T0 + 2 * SECOND);
    expect(rowsOnDisk()).toBe(9);
  });

  it("writes waiting samples after maxDelayMs", () => {
    vi.useFakeTimers();
    const history = fx.history({ temperatureBatching: { maxRows: 1000, maxDelayMs: 5000 } });
    history.recordTemperatures(report);
    vi.advanceTimersByTime(4999);
    expect(rowsOnDisk()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(rowsOnDisk()).toBe(3);
  });

  it("writes waiting samples on close and on flush", () => {
    const history = fx.history();
    history.recordTemperatures(report);
    history.flushTemperatures();
    expect(rowsOnDisk()).toBe(3);
    history.recordTemperatures(report, T0 + SECOND);
    history.close();
    expect(rowsOnDisk()).toBe(6);
  });

  it("loses no sample across many batches and a reopen", () => {
    const history = fx.history({ temperatureBatching: { maxRows: 500, maxDelayMs: 60_000 } });
    for (let s = 0; s < 1000; s++) history.recordTemperatures(report, T0 + s * SECOND);
    history.close();
    expect(rowsOnDisk()).toBe(3000);
    const reopened = fx.history();
    const samples = reopened.temperaturesBetween(T0, T0 + 999 * SECOND, ["C"]);
    expect(samples).toHaveLength(1000);
    expect(samples.at(-1)).toEqual({ at: T0 + 999 * SECOND, heater: "C", actual: 31.5, target: null });
  });
});
