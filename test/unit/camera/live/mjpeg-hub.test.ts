import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { MjpegHub, type MjpegHubOptions } from "../../../../server/camera/live/mjpeg-hub.ts";
import { isHostError } from "../../../../server/util/errors.ts";
import { silentLogger } from "../../../../server/util/log.ts";
import { recordingLogger } from "../../../helpers/recording-logger.ts";
import { until } from "../../../helpers/until.ts";
import { FakeOut, frame, ScriptedSource } from "./hub-fixture.ts";

const hubs: MjpegHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
});

function rig(options: Partial<MjpegHubOptions> = {}, log = silentLogger()) {
  const source = new ScriptedSource();
  const clock = { now: 1_700_000_000_000 };
  const hub = new MjpegHub({ source, log, clock: () => clock.now, options: { lingerMs: 30, ...options } });
  hubs.push(hub);
  /** Pushes a frame `ms` after the previous one. */
  const push = (jpeg: Buffer, ms = 100) => {
    clock.now += ms;
    source.push(jpeg);
  };
  return { source, clock, hub, push };
}

const check = (what: string, probe: () => boolean) =>
  until(
    async () => probe(),
    (ok) => ok,
    what,
    2000,
  );

describe("MjpegHub", () => {
  it("serves every viewer from one upstream, opened for the first, in byte-exact parts", () => {
    const { source, hub, push } = rig();
    const outs = [new FakeOut(), new FakeOut(), new FakeOut()];
    expect(source.opens).toHaveLength(0);
    for (const out of outs) hub.attach(out);
    expect(source.opens).toHaveLength(1);
    const frames = [frame(0), frame(1), frame(2)];
    for (const jpeg of frames) push(jpeg);
    for (const out of outs) expect(out.frames()).toEqual(frames);
    const first = frames[0] as Buffer;
    expect(Buffer.concat(outs[0]?.chunks.slice(0, 3) ?? [])).toEqual(
      Buffer.concat([
        Buffer.from(
          `--layerwatch-frame\r\nContent-Type: image/jpeg\r\nContent-Length: ${first.length}\r\n\r\n`,
        ),
        first,
        Buffer.from("\r\n"),
      ]),
    );
    expect(hub.stats()).toEqual({
      viewers: 3,
      upstreamOpens: 1,
      framesIn: 3,
      framesSent: 9,
      framesDropped: 0,
    });
  });

  it("gives a new viewer the latest frame at once", () => {
    const { hub, push } = rig();
    hub.attach(new FakeOut());
    push(frame(0));
    push(frame(1));
    const late = new FakeOut();
    hub.attach(late);
    expect(late.frames()).toEqual([frame(1)]);
    expect(hub.latestFrame()?.jpeg).toEqual(frame(1));
  });

  it("closes the upstream lingerMs after the last viewer leaves; a viewer back in time reuses it", async () => {
    const { source, hub, push } = rig({ lingerMs: 80 });
    const first = new FakeOut();
    hub.attach(first);
    push(frame(0));
    first.hangUp();
    expect(hub.stats().viewers).toBe(0);
    expect(first.listenerCount("close")).toBe(0);
    const second = new FakeOut();
    hub.attach(second);
    await sleep(120);
    expect(source.opens[0]?.closed).toBe(false);
    expect(hub.stats().upstreamOpens).toBe(1);

    second.hangUp();
    await check("upstream closed after the linger", () => source.opens[0]?.ended === true);
    expect(source.opens[0]?.closed).toBe(true);
    expect(hub.latestFrame()).toBeNull();
  });

  it("opens a new upstream only once the closed one has ended", async () => {
    const { source, hub } = rig();
    source.holdEnd = true;
    hub.attach(new FakeOut()).call(null);
    await check("upstream closed", () => source.opens[0]?.closed === true);
    hub.attach(new FakeOut());
    expect(source.opens).toHaveLength(1);
    source.holdEnd = false;
    source.finishClose();
    expect(source.opens).toHaveLength(2);
  });

  it("drops frames for a viewer that has not drained, and only for it", () => {
    const { hub, push } = rig();
    const fast = new FakeOut();
    const slow = new FakeOut();
    hub.attach(fast);
    hub.attach(slow);
    slow.writableNeedDrain = true;
    for (let n = 0; n < 5; n++) push(frame(n));
    slow.writableNeedDrain = false;
    push(frame(5));
    expect(fast.frames()).toHaveLength(6);
    expect(slow.frames()).toEqual([frame(5)]);
    expect(hub.stats()).toMatchObject({ framesIn: 6, framesSent: 7, framesDropped: 5 });
  });

  it("caps each viewer's frame rate", () => {
    const { hub, push } = rig({ maxFps: 10 });
    const full = new FakeOut();
    const phone = new FakeOut();
    hub.attach(full);
    hub.attach(phone, { maxFps: 2 });
    // 20 fps for two seconds: the 10 fps cap passes every other frame; the 2 fps cap one per 500 ms
    // slot, each frame up to a quarter slot (125 ms) early.
    for (let n = 0; n < 40; n++) push(frame(n), 50);
    expect(full.frames()).toEqual(Array.from({ length: 20 }, (_, i) => frame(2 * i)));
    expect(phone.frames()).toEqual([0, 8, 18, 28, 38].map(frame));
  });

  it("lets a 10 fps camera's jittered frames through a 10 fps cap", () => {
    const { hub, push } = rig({ maxFps: 10 });
    const out = new FakeOut();
    hub.attach(out);
    const gaps = [100, 95, 105, 90, 110, 100, 96];
    for (const [n, ms] of gaps.entries()) push(frame(n), ms);
    expect(out.frames()).toHaveLength(gaps.length);
  });

  it("reopens a failed upstream while viewers remain, warning once", async () => {
    const { log, records } = recordingLogger();
    const { source, hub, push } = rig({ retries: 3, retryDelayMs: 10 }, log);
    const out = new FakeOut();
    hub.attach(out);
    push(frame(0));
    source.fail();
    expect(hub.latestFrame()).toBeNull();
    await check("second upstream", () => source.opens.length === 2);
    source.fail();
    await check("third upstream", () => source.opens.length === 3);
    push(frame(1));
    expect(out.frames()).toEqual([frame(0), frame(1)]);
    expect(out.writableEnded).toBe(false);
    expect(records.filter((r) => r.level === 40)).toHaveLength(1);
    expect(records.filter((r) => r.level === 30).map((r) => r.msg)).toEqual([
      "camera test-pattern stream recovered",
    ]);
  });

  it("ends the viewers when the retries run out, logging one error", async () => {
    const { log, records } = recordingLogger();
    const { source, hub, push } = rig({ retries: 2, retryDelayMs: 5 }, log);
    const outs = [new FakeOut(), new FakeOut()];
    for (const out of outs) hub.attach(out);
    push(frame(0));
    source.fail();
    for (let open = 2; open <= 3; open++) {
      await check(`upstream ${open}`, () => source.opens.length === open);
      source.fail();
    }
    await check("viewers ended", () => outs.every((out) => out.destroyed));
    expect(outs.every((out) => out.writableEnded)).toBe(true);
    expect(hub.stats()).toMatchObject({ viewers: 0, upstreamOpens: 3 });
    expect(records.filter((r) => r.level === 40)).toHaveLength(1);
    expect(records.filter((r) => r.level === 50).map((r) => r.msg)).toEqual([
      "camera stream failed; ending its viewers",
    ]);
  });

  it("ends the viewers at the first failure when retries is 0", async () => {
    const { source, hub } = rig({ retries: 0 });
    const out = new FakeOut();
    hub.attach(out);
    source.fail();
    expect(out.writableEnded).toBe(true);
    expect(source.opens).toHaveLength(1);
  });

  it("treats an openStream that throws as a failed upstream", async () => {
    const { source, hub } = rig({ retries: 0 });
    source.throwOnOpen = new Error("no camera");
    const out = new FakeOut();
    hub.attach(out);
    await check("viewer ended", () => out.writableEnded);
  });

  it("takes a snapshot from the latest frame while it is fresh, else from the source", async () => {
    const { source, clock, hub, push } = rig({ snapshotMaxAgeMs: 1000 });
    expect(await hub.snapshot()).toEqual(frame(-1));
    hub.attach(new FakeOut());
    push(frame(0));
    expect(await hub.snapshot()).toEqual(frame(0));
    clock.now += 1001;
    expect(await hub.snapshot()).toEqual(frame(-1));
    expect(await hub.snapshot(5000)).toEqual(frame(0));
    expect(source.snapshots).toBe(2);
  });

  it("detaches with the returned function, ending the response and removing its listener", () => {
    const { hub, push } = rig();
    const out = new FakeOut();
    const detach = hub.attach(out);
    push(frame(0));
    detach();
    push(frame(1));
    expect(out.writableEnded).toBe(true);
    expect(out.listenerCount("close")).toBe(0);
    expect(out.frames()).toEqual([frame(0)]);
    expect(hub.stats().viewers).toBe(0);
  });

  it("on close ends the viewers, waits for the upstream's end and refuses new viewers", async () => {
    const { source, hub, push } = rig();
    source.holdEnd = true;
    const out = new FakeOut();
    hub.attach(out);
    push(frame(0));
    let closed = false;
    const closing = hub.close().then(() => {
      closed = true;
    });
    expect(out.writableEnded).toBe(true);
    await sleep(20);
    expect(closed).toBe(false);
    source.finishClose();
    await closing;
    let error: unknown;
    try {
      hub.attach(new FakeOut());
    } catch (err) {
      error = err;
    }
    expect(isHostError(error, "INVALID_STATE")).toBe(true);
  });
});
