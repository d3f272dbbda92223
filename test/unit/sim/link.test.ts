import { describe, expect, it } from "vitest";
import { ManualScheduler, PreciseScheduler } from "../../../server/sim/scheduler.ts";
import { Wire } from "../../../server/sim/wire.ts";
import { formatLine, harness } from "./sim-harness.ts";

function recordingWire(
  scheduler: ManualScheduler | PreciseScheduler,
  bytesPerSecond: number,
  latencyMs: number,
) {
  const arrivals: { at: number; text: string }[] = [];
  const wire = new Wire(scheduler, { bytesPerSecond, latencyMs }, (bytes) =>
    arrivals.push({ at: scheduler.now(), text: bytes.toString("latin1") }),
  );
  return { wire, arrivals };
}

describe("wire model", () => {
  it("delivers byte i at max(sent, previous end) + 1/rate + latency, line by line", () => {
    const scheduler = new ManualScheduler();
    const { wire, arrivals } = recordingWire(scheduler, 25_000, 1);
    wire.send(Buffer.from("ok\nok\n"));
    scheduler.advance(100);
    // 40 µs per byte: the first LF is byte 2 (ends at 0.12 ms), the second byte 5 (0.24 ms).
    expect(arrivals.map((a) => a.text)).toEqual(["ok\n", "ok\n"]);
    expect(arrivals[0]?.at).toBeCloseTo(1.12, 9);
    expect(arrivals[1]?.at).toBeCloseTo(1.24, 9);
  });

  it("queues a chunk sent while the wire is busy behind the previous one", () => {
    const scheduler = new ManualScheduler();
    const { wire, arrivals } = recordingWire(scheduler, 1000, 0);
    wire.send(Buffer.from("abc\n"));
    scheduler.advance(1);
    wire.send(Buffer.from("de\n"));
    scheduler.advance(100);
    expect(arrivals).toEqual([
      { at: 4, text: "abc\n" },
      { at: 7, text: "de\n" },
    ]);
    expect(wire.transmittedAt).toBe(7);
  });

  it("lets the receiver pull the bytes of a partial line that have arrived", () => {
    const scheduler = new ManualScheduler();
    const { wire, arrivals } = recordingWire(scheduler, 1000, 0);
    wire.send(Buffer.from("G1 X10\n"));
    scheduler.advance(3.5);
    wire.deliverDue();
    expect(arrivals).toEqual([{ at: 3.5, text: "G1 " }]);
    expect(wire.backlog()).toBe(4);
    scheduler.advance(10);
    expect(arrivals.at(-1)).toEqual({ at: 7, text: "X10\n" });
  });

  it("takes N / rate seconds for N bytes (computed arrival times)", () => {
    const scheduler = new ManualScheduler();
    const { wire, arrivals } = recordingWire(scheduler, 11_520, 0);
    const lines = Array.from({ length: 200 }, (_, i) => formatLine(i + 1, "G1 X10.5 Y20.25 E0.1234"));
    const bytes = Buffer.from(lines.join(""));
    wire.send(bytes);
    scheduler.advance(10_000);
    expect(arrivals).toHaveLength(200);
    expect(arrivals.at(-1)?.at).toBeCloseTo((bytes.length / 11_520) * 1000, 6);
  });

  it("is synchronous and schedules nothing when unlimited", () => {
    const scheduler = new ManualScheduler();
    const { wire, arrivals } = recordingWire(scheduler, 0, 0);
    wire.send(Buffer.from("ok\n"));
    expect(arrivals).toEqual([{ at: 0, text: "ok\n" }]);
    expect(scheduler.nextTimer()).toBeUndefined();
  });

  it("meets wall-clock rates within a few percent with the precise scheduler", async () => {
    const scheduler = new PreciseScheduler();
    const { wire, arrivals } = recordingWire(scheduler, 25_000, 0);
    const bytes = Buffer.from(Array.from({ length: 100 }, (_, i) => formatLine(i, "G1 X1 Y2 E3")).join(""));
    const start = scheduler.now();
    wire.send(bytes);
    const expected = (bytes.length / 25_000) * 1000;
    await new Promise<void>((resolve) => scheduler.at(start + expected * 1.5 + 60, resolve));
    const last = arrivals.at(-1)?.at ?? Number.NaN;
    expect(arrivals.map((a) => a.text).join("")).toBe(bytes.toString());
    // Each delivery is scheduled for its line's last byte; generous lateness for a loaded machine
    // (the exact arrival times are asserted on the manual clock above).
    expect(last - start).toBeGreaterThanOrEqual(expected);
    expect(last - start).toBeLessThan(expected * 1.5 + 50);
  });
});

describe("precise scheduler", () => {
  it("fires timers in deadline order, never early", async () => {
    const scheduler = new PreciseScheduler();
    const fired: { id: number; late: number }[] = [];
    const start = scheduler.now();
    const done = new Promise<void>((resolve) => {
      for (const [id, delay] of [
        [3, 6],
        [1, 0.5],
        [2, 3.2],
      ] as const) {
        scheduler.at(start + delay, () => {
          fired.push({ id, late: scheduler.now() - (start + delay) });
          if (fired.length === 3) resolve();
        });
      }
    });
    await done;
    expect(fired.map((f) => f.id)).toEqual([1, 2, 3]);
    expect(fired.every((f) => f.late >= 0)).toBe(true);
  });

  it("cancels timers", async () => {
    const scheduler = new PreciseScheduler();
    let fired = false;
    const timer = scheduler.at(scheduler.now() + 1, () => {
      fired = true;
    });
    timer.cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fired).toBe(false);
  });
});

describe("paced printer link", () => {
  it("delays the ok by the line's transmit time plus two latencies", () => {
    const h = harness((c) => {
      c.link = { bytesPerSecond: 25_000, latencyMs: 1 };
    });
    h.advance(20);
    h.take();
    const line = formatLine(1, "G1 X10");
    h.send(line);
    h.advance(0.1);
    expect(h.take()).toEqual([]);
    const arrival = (line.length / 25_000) * 1000 + 1;
    const okAt = arrival + (3 / 25_000) * 1000 + 1;
    h.advance(okAt - 0.1 - 0.001);
    expect(h.take()).toEqual([]);
    h.advance(0.002);
    expect(h.take()).toEqual(["ok"]);
  });
});
