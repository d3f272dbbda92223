import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryJobResponse, TimelapseDto, TimelapsesResponse } from "../../../server/api/contract.ts";
import { type FakeMjpegCamera, startFakeMjpegCamera } from "../../helpers/fake-mjpeg-camera.ts";
import { layeredGcode } from "../../helpers/layered-gcode.ts";
import { startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { until } from "../../helpers/until.ts";
import { upload, waitForAnalysis, waitForState } from "../api-v1/v1-helpers.ts";
import { configureTimelapse, printToEnd, waitForVideo } from "./timelapse-helpers.ts";

/**
 * Acceptance: faults during capture never reach the print. A camera that vanishes mid-print and a
 * disk below the free-space threshold each stop the frames with a warning (in the job's history);
 * the print completes, and the frames captured so far still render.
 */

const LAYERS = 40;
let t: TestDaemon;
let camera: FakeMjpegCamera;

beforeAll(async () => {
  camera = await startFakeMjpegCamera({ fps: 10 });
  t = await startTestDaemon({ simSpeed: 20, engine: "worker" });
  const patch = {
    camera: {
      source: { kind: "http", snapshotUrl: camera.snapshotUrl, streamUrl: camera.streamUrl, timeoutMs: 1000 },
    },
  };
  expect((await t.admin.request("PATCH", "/api/v1/settings", { json: patch })).status).toBe(200);
  await configureTimelapse(t.admin, {
    mode: "layer",
    stabilize: false,
    minIntervalSeconds: 0,
    fps: 10,
    postRollSeconds: 0,
    minFreeMiB: 0,
  });
  expect(
    (await upload(t.admin, "rings.gcode", layeredGcode({ layers: LAYERS, movesPerLayer: 30 }))).status,
  ).toBe(201);
  await waitForAnalysis(t.admin, "rings.gcode");
}, 60_000);

afterAll(async () => {
  await t?.stop();
  await camera?.close();
});

/** Starts the print and waits until `frames` frames are captured; the job id. */
async function printUntilFrames(frames: number): Promise<number> {
  await waitForState(t.admin, "idle");
  const started = await t.admin.post<{ jobId: number }>("/api/v1/job/start", { file: "rings.gcode" });
  expect(started.status).toBe(201);
  await until(
    async () => (await t.admin.get<TimelapsesResponse>("/api/v1/timelapses")).body.recording?.frames ?? 0,
    (n) => n >= frames,
    `${frames} frames captured`,
  );
  return started.body.jobId;
}

async function finishedVideo(jobId: number): Promise<{ video: TimelapseDto; history: HistoryJobResponse }> {
  const job = await until(
    async () => (await t.admin.get<HistoryJobResponse>(`/api/v1/history/jobs/${jobId}`)).body,
    (h) => h.job.result !== null,
    `job ${jobId} ends`,
    60_000,
  );
  expect(job.job.result).toBe("done");
  const list = await waitForVideo(t.admin, jobId);
  const history = (await t.admin.get<HistoryJobResponse>(`/api/v1/history/jobs/${jobId}`)).body;
  return { video: list.videos.find((v) => v.jobId === jobId) as TimelapseDto, history };
}

describe("time-lapse faults", () => {
  it("a camera that disappears mid-print: the print completes, a warning is raised, the frames so far render", async () => {
    const jobId = await printUntilFrames(5);
    await camera.vanish();
    const { video, history } = await finishedVideo(jobId);
    expect(video.frames).toBeGreaterThanOrEqual(5);
    expect(video.frames).toBeLessThan(LAYERS);
    expect(video.outcome).toBe("done");
    const warnings = history.events.filter((e) => e.kind === "timelapse");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /time-lapse frame skipped: camera snapshot http:\/\/127\.0\.0\.1:\d+\/\?action=snapshot failed/,
    );
    await camera.start();
  });

  it("the disk guard: below the threshold capture stops, the print goes on, the frames so far render", async () => {
    const patch = {
      camera: {
        source: {
          kind: "http",
          snapshotUrl: camera.snapshotUrl,
          streamUrl: camera.streamUrl,
          timeoutMs: 1000,
        },
      },
    };
    expect((await t.admin.request("PATCH", "/api/v1/settings", { json: patch })).status).toBe(200);
    const jobId = await printUntilFrames(3);
    // More free space than any disk here has: the next frame finds the disk "full".
    await configureTimelapse(t.admin, { minFreeMiB: 1_000_000 });
    const { video, history } = await finishedVideo(jobId);
    await configureTimelapse(t.admin, { minFreeMiB: 0 });
    expect(video.frames).toBeGreaterThanOrEqual(3);
    expect(video.frames).toBeLessThan(LAYERS);
    const warnings = history.events.filter((e) => e.kind === "timelapse");
    expect(warnings.map((w) => w.message)).toEqual([
      "less than 1000000 MiB free: time-lapse capture stopped, the print goes on",
    ]);
  });

  it("a print without time-lapse renders nothing", async () => {
    await configureTimelapse(t.admin, { mode: "off" });
    const before = (await t.admin.get<TimelapsesResponse>("/api/v1/timelapses")).body.videos.length;
    await printToEnd(t.admin, "rings.gcode");
    const after = (await t.admin.get<TimelapsesResponse>("/api/v1/timelapses")).body;
    expect(after.videos).toHaveLength(before);
    expect(after.unrendered).toEqual([]);
  });
});
