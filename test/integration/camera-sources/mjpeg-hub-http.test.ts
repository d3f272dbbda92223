import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { MjpegHub, type MjpegHubOptions } from "../../../server/camera/live/mjpeg-hub.ts";
import type { CameraSource } from "../../../server/camera/sources/camera-source.ts";
import { HttpSource } from "../../../server/camera/sources/http-source.ts";
import { isWholeJpeg } from "../../../server/camera/sources/jpeg.ts";
import { TestPatternSource } from "../../../server/camera/sources/test-pattern-source.ts";
import type { Logger } from "../../../server/util/log.ts";
import { silentLogger } from "../../../server/util/log.ts";
import {
  type FakeCameraOptions,
  type FakeMjpegCamera,
  startFakeMjpegCamera,
} from "../../helpers/fake-mjpeg-camera.ts";
import { recordingLogger } from "../../helpers/recording-logger.ts";
import { until } from "../../helpers/until.ts";
import { closeServer, ffmpegChildren, StreamClient, serveHub } from "./camera-test-kit.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const wait = <T>(what: string, probe: () => T, test: (value: T) => boolean) =>
  until(async () => probe(), test, what, 5000);

async function rig(source: CameraSource, options: Partial<MjpegHubOptions>, log: Logger = silentLogger()) {
  const hub = new MjpegHub({ source, log, options });
  const served = await serveHub(hub);
  const clients: StreamClient[] = [];
  cleanups.push(async () => {
    for (const client of clients) client.stop();
    await hub.close();
    await closeServer(served.server);
  });
  const watch = (keep = true) => {
    const client = new StreamClient(served.url, keep);
    clients.push(client);
    return client;
  };
  return { hub, watch, ...served };
}

async function camera(options: FakeCameraOptions): Promise<FakeMjpegCamera> {
  const fake = await startFakeMjpegCamera(options);
  cleanups.push(() => fake.close());
  return fake;
}

function httpSource(fake: FakeMjpegCamera): HttpSource {
  return new HttpSource(
    { kind: "http", snapshotUrl: fake.snapshotUrl, streamUrl: fake.streamUrl, timeoutMs: 2000 },
    { log: silentLogger() },
  );
}

describe("MjpegHub over HTTP", () => {
  it("serves ten viewers from one camera connection, closed after the last viewer leaves", async () => {
    const fake = await camera({ fps: 25 });
    const { hub, watch } = await rig(httpSource(fake), { lingerMs: 400, maxFps: 25 });
    const viewers = Array.from({ length: 10 }, () => watch());
    await wait(
      "every viewer has 3 frames",
      () => Math.min(...viewers.map((v) => v.frames.length)),
      (n) => n >= 3,
    );
    expect(fake.streamConnections).toBe(1);
    expect(hub.stats()).toMatchObject({ viewers: 10, upstreamOpens: 1 });
    for (const viewer of viewers)
      for (const jpeg of viewer.frames) expect(fake.frames.some((sent) => sent.equals(jpeg))).toBe(true);

    for (const viewer of viewers) viewer.stop();
    await wait(
      "viewers detached",
      () => hub.stats().viewers,
      (n) => n === 0,
    );
    expect(fake.openStreams).toBe(1);
    await wait(
      "camera connection closed",
      () => fake.openStreams,
      (n) => n === 0,
    );
    expect(hub.latestFrame()).toBeNull();
    expect(fake.streamConnections).toBe(1);
  });

  it("drops frames for a viewer that never reads while a fast one keeps receiving, buffering at most a frame for it", async () => {
    const fake = await camera({ fps: 30, frameBytes: 512 * 1024 });
    const { hub, watch, url, responses } = await rig(httpSource(fake), { maxFps: 30 });
    const fast = watch(false);
    const { port } = new URL(url);
    const stalled = connect(Number(port), "127.0.0.1", () => {
      stalled.write("GET /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    });
    stalled.pause();
    stalled.on("error", () => {});
    cleanups.push(() => {
      stalled.destroy();
    });

    await wait(
      "frames dropped for the stalled viewer",
      () => hub.stats().framesDropped,
      (n) => n > 0,
    );
    const before = fast.count;
    await wait(
      "the fast viewer keeps receiving",
      () => fast.count,
      (n) => n >= before + 5,
    );
    const frameBytes = (fake.frames[0] as Buffer).length;
    for (const res of responses) expect(res.writableLength).toBeLessThan(2 * frameBytes);
    expect(fake.streamConnections).toBe(1);
  });

  it("ends the viewers when the camera vanishes and stays away, logging one error", async () => {
    const fake = await camera({ fps: 25 });
    const { log, records } = recordingLogger();
    const { hub, watch } = await rig(httpSource(fake), { retries: 2, retryDelayMs: 20 }, log);
    const viewers = [watch(), watch()];
    await wait(
      "frames",
      () => Math.min(...viewers.map((v) => v.frames.length)),
      (n) => n >= 1,
    );
    await fake.vanish();
    await wait(
      "viewers ended",
      () => viewers.every((v) => v.ended),
      (ended) => ended,
    );
    expect(hub.stats()).toMatchObject({ viewers: 0, upstreamOpens: 3 });
    expect(records.filter((r) => r.level === 40)).toHaveLength(1);
    expect(records.filter((r) => r.level === 50)).toHaveLength(1);
  });

  it("runs one ffmpeg for all viewers of the test pattern, and none after close", async () => {
    const source = new TestPatternSource(
      { kind: "test-pattern", width: 320, height: 240, fps: 20 },
      { log: silentLogger() },
    );
    const { hub, watch } = await rig(source, { maxFps: 20 });
    const viewers = [watch(), watch(), watch()];
    await wait(
      "every viewer has 3 frames",
      () => Math.min(...viewers.map((v) => v.frames.length)),
      (n) => n >= 3,
    );
    expect(ffmpegChildren()).toHaveLength(1);
    for (const viewer of viewers) for (const jpeg of viewer.frames) expect(isWholeJpeg(jpeg)).toBe(true);
    expect(hub.stats().upstreamOpens).toBe(1);
    await hub.close();
    expect(ffmpegChildren()).toEqual([]);
    await wait(
      "viewers ended",
      () => viewers.every((v) => v.ended),
      (ended) => ended,
    );
  });
});
