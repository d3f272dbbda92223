import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TimelapseSettingsDto } from "../../../server/api/contract.ts";
import { MJPEG_BOUNDARY } from "../../../server/camera/live/multipart.ts";
import { type FakeMjpegCamera, startFakeMjpegCamera } from "../../helpers/fake-mjpeg-camera.ts";
import { layeredGcode } from "../../helpers/layered-gcode.ts";
import { apiKeyFor, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { until } from "../../helpers/until.ts";
import { upload, waitForAnalysis } from "../api-v1/v1-helpers.ts";
import { configureTimelapse, printToEnd, waitForVideo } from "./timelapse-helpers.ts";

/**
 * Acceptance: the live view behind the daemon's access control. Ten viewers share one upstream
 * connection to the camera (a stand-in for ustreamer); without credentials the stream is refused.
 * Then OctoPrint's `/api/timelapse` and `/downloads/timelapse` on a rendered video.
 */

let t: TestDaemon;
let camera: FakeMjpegCamera;
let viewerKey = "";
let operatorKey = "";

beforeAll(async () => {
  camera = await startFakeMjpegCamera({ fps: 20 });
  t = await startTestDaemon({ simSpeed: 50 });
  const patch = {
    camera: {
      source: { kind: "http", snapshotUrl: camera.snapshotUrl, streamUrl: camera.streamUrl, timeoutMs: 2000 },
    },
  };
  expect((await t.admin.request("PATCH", "/api/v1/settings", { json: patch })).status).toBe(200);
  viewerKey = await apiKeyFor(t, "vera", "viewer");
  operatorKey = await apiKeyFor(t, "otto", "operator");
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await camera?.close();
});

/** A live viewer: reads the stream and counts the parts it receives. */
function watch(key: string): { frames: () => number; stop: () => void; status: Promise<number> } {
  const controller = new AbortController();
  let count = 0;
  const status = fetch(new URL("/api/v1/camera/stream", t.url), {
    headers: { "x-api-key": key },
    signal: controller.signal,
  }).then(async (res) => {
    const reader = res.body?.getReader();
    const marker = `--${MJPEG_BOUNDARY}`;
    let tail = "";
    void (async () => {
      try {
        for (;;) {
          const chunk = await reader?.read();
          if (chunk === undefined || chunk.done) return;
          const text = tail + Buffer.from(chunk.value).toString("latin1");
          count += text.split(marker).length - 1;
          tail = text.slice(-marker.length);
        }
      } catch {
        // aborted
      }
    })();
    return res.status;
  });
  return { frames: () => count, stop: () => controller.abort(), status };
}

describe("live view", () => {
  it("serves ten viewers from one upstream connection, and closes it when they leave", async () => {
    const viewers = Array.from({ length: 10 }, () => watch(viewerKey));
    expect(await Promise.all(viewers.map((v) => v.status))).toEqual(Array(10).fill(200));
    await until(
      async () => Math.min(...viewers.map((v) => v.frames())),
      (n) => n >= 5,
      "5 frames each",
    );
    expect(camera.streamConnections).toBe(1);
    expect(camera.openStreams).toBe(1);
    for (const viewer of viewers) viewer.stop();
    await until(
      async () => camera.openStreams,
      (n) => n === 0,
      "the upstream closes after the viewers leave",
    );
    expect(camera.streamConnections).toBe(1);
  });

  it("refuses the stream and the snapshot without credentials (401) and with an unknown key", async () => {
    for (const path of ["/api/v1/camera/stream", "/api/v1/camera/snapshot"]) {
      expect((await fetch(new URL(path, t.url))).status).toBe(401);
      expect((await fetch(new URL(path, t.url), { headers: { "x-api-key": "nope" } })).status).toBe(401);
    }
    expect(camera.streamConnections).toBe(1);
  });

  it("gives a viewer a snapshot: the camera's JPEG", async () => {
    const res = await fetch(new URL("/api/v1/camera/snapshot", t.url), {
      headers: { "x-api-key": viewerKey },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    const jpeg = Buffer.from(await res.arrayBuffer());
    expect([jpeg[0], jpeg[1], jpeg.at(-2), jpeg.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });
});

describe("OctoPrint's /api/timelapse", () => {
  it("configures zchange (layer mode) with OctoPrint's fields; viewers may not", async () => {
    const octo = (key: string, body: object) =>
      t.admin.request("POST", "/api/timelapse", { apiKey: key, json: body });
    expect((await octo(viewerKey, { type: "zchange" })).status).toBe(403);
    const answer = await octo(operatorKey, { type: "zchange", postRoll: 0, fps: 10, minDelay: 0 });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      config: { type: "zchange", postRoll: 0, fps: 10, minDelay: 0 },
      enabled: true,
    });
    const own = await t.admin.get<TimelapseSettingsDto>("/api/v1/timelapse/settings");
    expect(own.body).toMatchObject({ mode: "layer", fps: 10, postRollSeconds: 0, minIntervalSeconds: 0 });
    await configureTimelapse(t.admin, { stabilize: false, minFreeMiB: 0 });
  });

  it("lists a rendered time-lapse, downloads it with Range, deletes it", async () => {
    expect(
      (await upload(t.admin, "rings.gcode", layeredGcode({ layers: 6, movesPerLayer: 10 }))).status,
    ).toBe(201);
    await waitForAnalysis(t.admin, "rings.gcode");
    const jobId = await printToEnd(t.admin, "rings.gcode");
    const name = (await waitForVideo(t.admin, jobId)).videos.find((v) => v.jobId === jobId)?.name as string;
    const list = await t.admin.request<{
      files: { name: string; bytes: number; url: string; thumbnail: string }[];
    }>("GET", "/api/timelapse", { apiKey: viewerKey });
    const file = list.body.files.find((f) => f.name === name);
    expect(file).toMatchObject({
      name,
      url: `${t.url}/downloads/timelapse/${name}`,
      thumbnail: `${t.url}/downloads/timelapse/${name.replace(/\.mp4$/, ".jpg")}`,
    });
    const whole = await fetch(file?.url as string, { headers: { "x-api-key": viewerKey } });
    const bytes = Buffer.from(await whole.arrayBuffer());
    expect(bytes.length).toBe(file?.bytes);
    const part = await fetch(file?.url as string, {
      headers: { "x-api-key": viewerKey, range: "bytes=0-7" },
    });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(0, 8))).toBe(true);
    const poster = await fetch(file?.thumbnail as string, { headers: { "x-api-key": viewerKey } });
    expect(poster.headers.get("content-type")).toBe("image/jpeg");
    expect((await t.admin.request("DELETE", `/api/timelapse/${name}`, { apiKey: viewerKey })).status).toBe(
      403,
    );
    const removed = await t.admin.request<{ files: unknown[] }>("DELETE", `/api/timelapse/${name}`, {
      apiKey: operatorKey,
    });
    expect(removed.status).toBe(200);
    expect(removed.body.files).toEqual([]);
    expect((await fetch(file?.url as string, { headers: { "x-api-key": viewerKey } })).status).toBe(404);
  });

  it("refuses hostile names", async () => {
    for (const name of ["..%2F..%2Fauth.db", "%2Fetc%2Fpasswd", ".hidden.mp4", "a.mp4%00.jpg"]) {
      const answer = await fetch(new URL(`/downloads/timelapse/${name}`, t.url), {
        headers: { "x-api-key": viewerKey },
      });
      expect([400, 404]).toContain(answer.status);
    }
  });
});
