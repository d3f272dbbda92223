import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { LineBatch } from "../../../../server/api/push/line-batch.ts";
import { LatestSlot, Outbox, type OutboxLimits } from "../../../../server/api/push/outbox.ts";

const LIMITS: OutboxLimits = { softBytes: 1000, hardBytes: 10_000, maxPending: 3, retryMs: 100 };

/** An outbox over a fake client: what it sent, and a backlog the test sets. */
function harness(limits: OutboxLimits = LIMITS) {
  const sent: { name: string; payload: unknown; at: number }[] = [];
  const state = { backlog: 0, resyncs: 0 };
  const outbox = new Outbox({
    send: (name, payload) => sent.push({ name, payload, at: Date.now() }),
    backlog: () => state.backlog,
    resync: () => {
      state.resyncs++;
      return { name: "snapshot", payload: "fresh" };
    },
    limits,
  });
  const temperatures = new LatestSlot<number>();
  outbox.topic("temperatures", 500, temperatures);
  const terminal = new LineBatch(3);
  outbox.topic("terminal", 250, terminal);
  const named = (name: string) => sent.filter((s) => s.name === name).map((s) => s.payload);
  return { outbox, sent, state, temperatures, terminal, named };
}

describe("Outbox", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends a coalesced topic's first value at once, then at most once per interval, latest value winning", () => {
    const h = harness();
    h.temperatures.set(1);
    h.outbox.poke();
    expect(h.named("temperatures")).toEqual([1]);
    for (let v = 2; v <= 9; v++) {
      vi.advanceTimersByTime(50);
      h.temperatures.set(v);
      h.outbox.poke();
    }
    // 400 ms after the first: nothing more yet; at 500 ms the latest (9) goes, 2..8 never do.
    expect(h.named("temperatures")).toEqual([1]);
    vi.advanceTimersByTime(100);
    expect(h.named("temperatures")).toEqual([1, 9]);
    expect(h.sent.map((s) => s.at)).toEqual([0, 500]);
    vi.advanceTimersByTime(5000);
    expect(h.named("temperatures")).toEqual([1, 9]);
  });

  it("holds 2 Hz over a steady 10 Hz stream", () => {
    const h = harness();
    for (let i = 0; i < 100; i++) {
      h.temperatures.set(i);
      h.outbox.poke();
      vi.advanceTimersByTime(100);
    }
    const times = h.sent.map((s) => s.at);
    // 0, 500, …, 10000: both ends of the 10 s included.
    expect(times.length).toBe(21);
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(500);
  });

  it("skips coalesced topics while the client is backed up, keeping only the latest value", () => {
    const h = harness();
    h.state.backlog = 5000;
    for (let v = 1; v <= 50; v++) {
      h.temperatures.set(v);
      h.outbox.poke();
      vi.advanceTimersByTime(100);
    }
    expect(h.named("temperatures")).toEqual([]);
    h.state.backlog = 0;
    vi.advanceTimersByTime(100);
    expect(h.named("temperatures")).toEqual([50]);
  });

  it("sends immediate messages at once even while coalesced topics wait", () => {
    const h = harness();
    h.state.backlog = 5000; // over soft, under hard
    h.outbox.now("state", "printing");
    h.temperatures.set(1);
    h.outbox.poke();
    expect(h.named("state")).toEqual(["printing"]);
    expect(h.named("temperatures")).toEqual([]);
  });

  it("keeps a few immediate messages in order while far behind, and sends them once it catches up", () => {
    const h = harness();
    h.state.backlog = 20_000;
    h.outbox.now("state", "a");
    h.outbox.now("event", "b");
    h.outbox.now("state", "c");
    vi.advanceTimersByTime(1000);
    expect(h.sent).toEqual([]);
    h.state.backlog = 0;
    vi.advanceTimersByTime(100);
    expect(h.sent.map((s) => s.payload)).toEqual(["a", "b", "c"]);
    expect(h.state.resyncs).toBe(0);
  });

  it("replaces them with one fresh snapshot when more pile up than it keeps", () => {
    const h = harness();
    h.state.backlog = 20_000;
    for (let i = 0; i < 1000; i++) h.outbox.now("state", i);
    expect(h.outbox.dropped).toBeGreaterThan(0);
    h.state.backlog = 0;
    vi.advanceTimersByTime(100);
    // Whatever came after the overflow is still kept (at most maxPending), after the snapshot.
    expect(h.sent[0]).toMatchObject({ name: "snapshot", payload: "fresh" });
    expect(h.sent.length).toBeLessThanOrEqual(1 + LIMITS.maxPending);
    expect(h.state.resyncs).toBe(1);
  });

  it("sends nothing after close and leaves no timer", () => {
    const h = harness();
    h.temperatures.set(1);
    h.outbox.poke();
    h.temperatures.set(2);
    h.outbox.poke();
    h.outbox.close();
    h.outbox.now("state", "x");
    vi.advanceTimersByTime(10_000);
    expect(h.named("temperatures")).toEqual([1]);
    expect(h.named("state")).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe("terminal lines", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("go out in batches at most every 250 ms with at most N lines each, counting the rest as dropped", () => {
    const h = harness();
    const add = (text: string) => {
      h.terminal.add({ dir: "recv", text });
      h.outbox.poke();
    };
    add("ok 0");
    expect(h.named("terminal")).toEqual([{ at: 0, lines: [{ dir: "recv", text: "ok 0" }], dropped: 0 }]);
    for (let i = 1; i <= 10; i++) add(`ok ${i}`);
    vi.advanceTimersByTime(250);
    const second = h.named("terminal")[1] as { lines: { text: string }[]; dropped: number };
    expect(second.lines.map((l) => l.text)).toEqual(["ok 1", "ok 2", "ok 3"]);
    expect(second.dropped).toBe(7);
    vi.advanceTimersByTime(1000);
    expect(h.named("terminal").length).toBe(2);
  });

  it("stay bounded while the client is backed up", () => {
    const h = harness();
    h.state.backlog = 5000;
    for (let i = 0; i < 10_000; i++) {
      h.terminal.add({ dir: "recv", text: `ok ${i}` });
      h.outbox.poke();
    }
    h.state.backlog = 0;
    vi.advanceTimersByTime(100);
    const [batch] = h.named("terminal") as { lines: unknown[]; dropped: number }[];
    expect(batch?.lines.length).toBe(3);
    expect(batch?.dropped).toBe(9997);
  });

  it("forget what is pending when cleared (unsubscribed)", () => {
    const batch = new LineBatch(3);
    batch.add({ dir: "send", text: "M105" });
    batch.clear();
    expect(batch.pending).toBe(false);
  });
});
