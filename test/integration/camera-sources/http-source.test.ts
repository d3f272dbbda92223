import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { HttpCameraConfig } from "../../../server/camera/sources/camera-source.ts";
import { HttpSource } from "../../../server/camera/sources/http-source.ts";
import { isHostError } from "../../../server/util/errors.ts";
import { silentLogger } from "../../../server/util/log.ts";
import { type FakeMjpegCamera, startFakeMjpegCamera } from "../../helpers/fake-mjpeg-camera.ts";
import { until } from "../../helpers/until.ts";

let camera: FakeMjpegCamera;
beforeEach(async () => {
  camera = await startFakeMjpegCamera({ fps: 25 });
});
afterEach(() => camera.close());

function source(config: Partial<HttpCameraConfig> = {}): HttpSource {
  const base: HttpCameraConfig = {
    kind: "http",
    snapshotUrl: camera.snapshotUrl,
    streamUrl: camera.streamUrl,
    timeoutMs: 2000,
  };
  return new HttpSource({ ...base, ...config }, { log: silentLogger() });
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(isHostError(error, "CAMERA")).toBe(true);
  return error as Error;
}

interface Streamed {
  frames: Buffer[];
  ended: Promise<Error | null>;
  close: () => void;
}

function stream(from: HttpSource): Streamed {
  const frames: Buffer[] = [];
  let close = () => {};
  const ended = new Promise<Error | null>((resolve) => {
    close = from.openStream((jpeg) => frames.push(jpeg), resolve).close;
  });
  return { frames, ended, close };
}

const frameCount = (s: Streamed, n: number) =>
  until(
    async () => s.frames.length,
    (count) => count >= n,
    `${n} frames`,
    5000,
  );

describe("HttpSource snapshot", () => {
  it("returns the camera's JPEG byte for byte", async () => {
    expect(await source().snapshot()).toEqual(camera.frames[0]);
    expect(camera.snapshotRequests).toBe(1);
  });

  it("fails with a CAMERA error naming the URL after timeoutMs", async () => {
    camera.snapshotBehaviour = "hang";
    const error = await failure(source({ timeoutMs: 200 }).snapshot());
    expect(error.message).toBe(`camera snapshot ${camera.snapshotUrl} failed: timed out after 200 ms`);
  });

  it("refuses a body that is not a JPEG", async () => {
    camera.snapshotBehaviour = "html";
    const error = await failure(source().snapshot());
    expect(error.message).toBe(
      `camera snapshot ${camera.snapshotUrl} failed: not a JPEG (Content-Type text/html, 35 bytes)`,
    );
  });

  it("reports an HTTP error status and an unreachable camera", async () => {
    const missing = await failure(source({ snapshotUrl: `${camera.baseUrl}/nothing` }).snapshot());
    expect(missing.message).toBe(`camera snapshot ${camera.baseUrl}/nothing failed: HTTP 404 Not Found`);
    await camera.vanish();
    const gone = await failure(source().snapshot());
    expect(gone.message).toMatch(
      /^camera snapshot http:\/\/127\.0\.0\.1:\d+\/\?action=snapshot failed: .*ECONNREFUSED/,
    );
  });
});

describe("HttpSource stream", () => {
  it("delivers the camera's frames untouched, in order, and ends with null on close", async () => {
    const s = stream(source());
    await frameCount(s, 7);
    const sent = camera.frames;
    for (const [i, jpeg] of s.frames.entries()) expect(jpeg).toEqual(sent[i % sent.length]);
    s.close();
    expect(await s.ended).toBeNull();
    await until(
      async () => camera.openStreams,
      (n) => n === 0,
      "camera connection closed",
      2000,
    );
    expect(camera.streamConnections).toBe(1);
  });

  it("ends with a CAMERA error when the camera vanishes mid-stream", async () => {
    const s = stream(source());
    await frameCount(s, 2);
    await camera.vanish();
    const error = await s.ended;
    expect(isHostError(error, "CAMERA")).toBe(true);
    expect(error?.message).toMatch(/^camera stream http:\/\/127\.0\.0\.1:\d+\/\?action=stream failed: /);
  });

  it("refuses a response that is not multipart/x-mixed-replace", async () => {
    const error = await stream(source({ streamUrl: camera.snapshotUrl })).ended;
    expect(isHostError(error, "CAMERA")).toBe(true);
    expect(error?.message).toBe(
      `camera stream ${camera.snapshotUrl} failed: Content-Type is image/jpeg, not multipart/x-mixed-replace`,
    );
  });

  it("fails when the camera sends nothing for timeoutMs", async () => {
    const slow = await startFakeMjpegCamera({ fps: 0.2 });
    try {
      const s = stream(source({ streamUrl: slow.streamUrl, timeoutMs: 300 }));
      const error = await s.ended;
      expect(error?.message).toBe(`camera stream ${slow.streamUrl} failed: no data within 300 ms`);
    } finally {
      await slow.close();
    }
  });
});
