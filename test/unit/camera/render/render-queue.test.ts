import { afterEach, describe, expect, it, vi } from "vitest";
import { type RenderFn, RenderQueue } from "../../../../server/camera/render/render-queue.ts";
import type { RenderOptions, RenderResult } from "../../../../server/camera/render/render-timelapse.ts";
import { HostError } from "../../../../server/util/errors.ts";
import { silentLogger } from "../../../../server/util/log.ts";

interface Call {
  input: string;
  options: RenderOptions;
  finish: () => void;
  fail: (err: unknown) => void;
}

/** A render that ends when the test says so, and rejects RENDER "cancelled" when aborted, as the real one. */
function fakeRender(): { render: RenderFn; calls: Call[] } {
  const calls: Call[] = [];
  const render: RenderFn = (input, options) =>
    new Promise<RenderResult>((resolve, reject) => {
      options.signal?.addEventListener("abort", () => reject(new HostError("RENDER", `cancelled ${input}`)));
      calls.push({ input, options, finish: () => resolve(resultFor(options.output)), fail: reject });
    });
  return { render, calls };
}

function resultFor(path: string): RenderResult {
  return {
    path,
    frames: 1,
    durationSeconds: 0.04,
    width: 2,
    height: 2,
    encoder: "libx264",
    seconds: 0,
    bytes: 1,
  };
}

function job(id: string, urgent = false) {
  return { id, input: `/frames/${id}`, options: { output: `/movies/${id}.mp4` }, urgent };
}

/** Lets the queue's promise chains run (setImmediate is not faked below). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const queues: RenderQueue[] = [];

function makeQueue(canRun: () => boolean, recheckMs?: number) {
  const fake = fakeRender();
  const queue = new RenderQueue({ log: silentLogger(), canRun, render: fake.render, recheckMs });
  queues.push(queue);
  const events: string[] = [];
  queue.on("queued", (id) => events.push(`queued ${id}`));
  queue.on("started", (id) => events.push(`started ${id}`));
  queue.on("progress", (id, fraction) => events.push(`progress ${id} ${fraction}`));
  queue.on("done", (id) => events.push(`done ${id}`));
  queue.on("failed", (id, err) => events.push(`failed ${id} ${(err as Error).message}`));
  return { queue, calls: fake.calls, events };
}

afterEach(async () => {
  vi.useRealTimers();
  for (const queue of queues.splice(0)) await queue.stop();
});

describe("RenderQueue", () => {
  it("renders one job at a time, first in first out", async () => {
    const { queue, calls, events } = makeQueue(() => true);
    const a = queue.enqueue(job("a"));
    const b = queue.enqueue(job("b"));
    const c = queue.enqueue(job("c"));
    await flush();
    expect(calls.map((call) => call.input)).toEqual(["/frames/a"]);
    expect(queue.status()).toEqual({ running: "a", waiting: ["b", "c"] });

    calls[0]?.options.onProgress?.(0.5);
    calls[0]?.finish();
    await expect(a).resolves.toMatchObject({ path: "/movies/a.mp4" });
    await flush();
    expect(calls.map((call) => call.input)).toEqual(["/frames/a", "/frames/b"]);

    calls[1]?.fail(new HostError("RENDER", "ffmpeg failed"));
    await expect(b).rejects.toThrow("ffmpeg failed");
    await flush();
    calls[2]?.finish();
    await expect(c).resolves.toMatchObject({ path: "/movies/c.mp4" });
    await flush();
    expect(queue.status()).toEqual({ running: null, waiting: [] });
    expect(events).toEqual([
      "queued a",
      "started a",
      "queued b",
      "queued c",
      "progress a 0.5",
      "done a",
      "started b",
      "failed b ffmpeg failed",
      "started c",
      "done c",
    ]);
  });

  it("waits while the gate is closed and starts when poked after it opens", async () => {
    let printing = true;
    const { queue, calls } = makeQueue(() => !printing);
    const a = queue.enqueue(job("a"));
    await flush();
    queue.poke();
    await flush();
    expect(calls).toHaveLength(0);
    expect(queue.status()).toEqual({ running: null, waiting: ["a"] });

    printing = false;
    queue.poke();
    await flush();
    expect(calls).toHaveLength(1);
    calls[0]?.finish();
    await expect(a).resolves.toMatchObject({ path: "/movies/a.mp4" });
  });

  it("asks a closed gate again every recheckMs", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let printing = true;
    const { queue, calls } = makeQueue(() => !printing, 1000);
    const a = queue.enqueue(job("a"));
    printing = false;
    await vi.advanceTimersByTimeAsync(999);
    await flush();
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1);
    await flush();
    expect(calls).toHaveLength(1);
    calls[0]?.finish();
    await a;
  });

  it("runs an urgent job past the closed gate; the others keep waiting", async () => {
    const { queue, calls } = makeQueue(() => false);
    const a = queue.enqueue(job("a"));
    const b = queue.enqueue(job("b", true));
    await flush();
    expect(calls.map((call) => call.input)).toEqual(["/frames/b"]);
    expect(queue.status()).toEqual({ running: "b", waiting: ["a"] });
    calls[0]?.finish();
    await b;
    await flush();
    expect(calls).toHaveLength(1);
    expect(queue.status()).toEqual({ running: null, waiting: ["a"] });
    await queue.stop();
    await expect(a).rejects.toMatchObject({ code: "RENDER" });
  });

  it("rejects a second job with the same id while the first is queued or running", async () => {
    const { queue, calls } = makeQueue(() => true);
    const a = queue.enqueue(job("a"));
    await expect(queue.enqueue(job("a"))).rejects.toMatchObject({ code: "CONFLICT" });
    await flush();
    calls[0]?.finish();
    await a;
  });

  it("stop() cancels the running job, rejects the waiting ones with RENDER 'stopped' and refuses new ones", async () => {
    const { queue, calls, events } = makeQueue(() => true);
    const a = queue.enqueue(job("a"));
    const b = queue.enqueue(job("b"));
    const aSettled = a.catch((err: unknown) => err);
    const bSettled = b.catch((err: unknown) => err);
    await flush();
    expect(calls).toHaveLength(1);
    await queue.stop();
    expect(calls[0]?.options.signal?.aborted).toBe(true);
    expect(await aSettled).toMatchObject({ code: "RENDER", message: "cancelled /frames/a" });
    expect(await bSettled).toMatchObject({ code: "RENDER", message: /stopped/ });
    await expect(queue.enqueue(job("c"))).rejects.toMatchObject({ code: "RENDER", message: /stopped/ });
    expect(calls).toHaveLength(1);
    expect(events.filter((e) => e.startsWith("failed"))).toEqual([
      'failed b render "b" stopped: the render queue is shutting down',
      "failed a cancelled /frames/a",
    ]);
  });
});
