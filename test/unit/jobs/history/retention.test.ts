import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PRUNE_BATCH_ROWS } from "../../../../server/jobs/history/retention.ts";
import { DAY, type HistoryFixture, historyFixture, job, SECOND, T0 } from "./history-fixture.ts";

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await historyFixture();
});
afterEach(() => fx.cleanup());

const HOUR = 3600 * SECOND;

describe("retention", () => {
  it("deletes samples after 7 days and events after 30, and keeps jobs", async () => {
    const history = fx.history();
    const old = history.startJob({ ...job, startedAt: T0 });
    history.finishJob(old, { result: "done", endedAt: T0 + HOUR });
    // One sample per heater every 6 hours and one event a day, for 40 days.
    for (let at = T0; at < T0 + 40 * DAY; at += 6 * HOUR)
      history.recordTemperatures({ B: { actual: 60, target: 60 }, T0: { actual: 200, target: 200 } }, at);
    for (let day = 0; day < 40; day++)
      history.recordEvent({ kind: "job", message: `day ${day}`, jobId: old, at: T0 + day * DAY });

    fx.now = T0 + 40 * DAY;
    const result = await history.prune();
    expect(result).toEqual({ temperatures: 33 * 4 * 2, events: 10 });
    const samples = history.temperaturesBetween(0, fx.now);
    expect(samples[0]?.at).toBe(T0 + 33 * DAY);
    expect(samples).toHaveLength(7 * 4 * 2);
    expect(history.eventsBetween(0, fx.now).map((e) => e.message)[0]).toBe("day 10");
    expect(history.getJob(old)?.result).toBe("done");
    expect(await history.prune()).toEqual({ temperatures: 0, events: 0 });
  });

  it("uses the configured days", async () => {
    const history = fx.history({ retentionDays: { temperatures: 1 } });
    history.recordTemperatures({ B: { actual: 60, target: 60 } }, T0);
    history.recordTemperatures({ B: { actual: 60, target: 60 } }, T0 + 2 * DAY);
    history.recordEvent({ kind: "connect", message: "old", at: T0 });
    expect(await history.prune(T0 + 2 * DAY)).toEqual({ temperatures: 1, events: 0 });
  });

  it("deletes more rows than one batch holds", async () => {
    const history = fx.history({ temperatureBatching: { maxRows: 5000, maxDelayMs: 60_000 } });
    const count = PRUNE_BATCH_ROWS * 2 + 123;
    for (let s = 0; s < count; s++)
      history.recordTemperatures({ B: { actual: 60, target: 60 } }, T0 + s * SECOND);
    history.flushTemperatures();
    expect(await history.prune(T0 + 30 * DAY)).toEqual({ temperatures: count, events: 0 });
    expect(history.temperaturesBetween(0, T0 + 30 * DAY)).toEqual([]);
  });

  it("stops between batches when the database is closed", async () => {
    const history = fx.history();
    for (let s = 0; s < PRUNE_BATCH_ROWS * 2; s++)
      history.recordTemperatures({ B: { actual: 60, target: 60 } }, T0 + s * SECOND);
    history.flushTemperatures();
    const pruning = history.prune(T0 + 30 * DAY);
    history.close();
    expect(await pruning).toEqual({ temperatures: PRUNE_BATCH_ROWS, events: 0 });
  });
});
