import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type HistoryFixture, historyFixture, job, SECOND, T0 } from "./history-fixture.ts";

let fx: HistoryFixture;
beforeEach(async () => {
  fx = await historyFixture();
});
afterEach(() => fx.cleanup());

describe("events", () => {
  it("records events with their data and lists them by time and kind", () => {
    const history = fx.history();
    const connect = history.recordEvent({
      kind: "connect",
      message: "/dev/ttyACM0 at 115200",
      data: { baud: 115200 },
    });
    fx.now += SECOND;
    history.recordEvent({ kind: "firmware", message: "Marlin 2.1.2" });
    fx.now += SECOND;
    history.recordEvent({ kind: "error", message: "MINTEMP triggered", data: { heater: "B" } });

    const all = history.eventsBetween(T0, T0 + 2 * SECOND);
    expect(all.map((e) => e.kind)).toEqual(["connect", "firmware", "error"]);
    expect(all[0]).toEqual({
      id: connect,
      at: T0,
      kind: "connect",
      message: "/dev/ttyACM0 at 115200",
      jobId: null,
      data: { baud: 115200 },
    });
    expect(all[1]?.data).toBeNull();
    expect(history.eventsBetween(T0, T0 + 2 * SECOND, ["error", "connect"]).map((e) => e.kind)).toEqual([
      "connect",
      "error",
    ]);
    expect(history.eventsBetween(T0 + 1, T0 + SECOND).map((e) => e.kind)).toEqual(["firmware"]);
  });

  it("lists a job's events, and keeps them when the job's record is deleted", () => {
    const history = fx.history();
    const id = history.startJob(job);
    history.recordEvent({ kind: "job", message: "started", jobId: id });
    history.recordEvent({ kind: "disconnect", message: "unplugged" });
    history.recordEvent({ kind: "job", message: "failed", jobId: id, at: T0 + 5 * SECOND });
    expect(history.eventsForJob(id).map((e) => e.message)).toEqual(["started", "failed"]);

    history.finishJob(id, { result: "failed" });
    history.deleteJob(id);
    expect(history.eventsBetween(T0, T0 + 5 * SECOND).map((e) => [e.message, e.jobId])).toEqual([
      ["started", null],
      ["unplugged", null],
      ["failed", null],
    ]);
  });

  it("refuses an event about a job the history does not have", () => {
    const history = fx.history();
    const notFound = expect.objectContaining({ code: "NOT_FOUND" });
    expect(() => history.recordEvent({ kind: "job", message: "x", jobId: 7 })).toThrow(notFound);
    expect(() => history.eventsForJob(7)).toThrow(notFound);
    expect(history.eventsBetween(0, Number.MAX_SAFE_INTEGER)).toEqual([]);
  });

  it("keeps an event whose data JSON cannot hold, with a note instead", () => {
    const history = fx.history();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    history.recordEvent({ kind: "error", message: "odd", data: cyclic });
    const [event] = history.eventsBetween(T0, T0);
    expect(event?.message).toBe("odd");
    expect(event?.data).toEqual({ unserialisable: expect.stringContaining("circular") });
    expect(fx.logged("event data is not JSON; stored without it")).toHaveLength(1);
  });
});
