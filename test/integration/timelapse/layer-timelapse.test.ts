import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HistoryJobResponse, TimelapseDto } from "../../../server/api/contract.ts";
import { atomOrder, probeVideo } from "../../helpers/ffprobe.ts";
import { CUBE } from "../../helpers/fixtures.ts";
import { startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { configureTimelapse, printToEnd, uploadAnalysed, waitForVideo } from "./timelapse-helpers.ts";

/**
 * Acceptance: the cube fixture printed on the simulated Marlin with the built-in test-pattern camera
 * in layer mode gives one frame per layer; the render is a phone-safe MP4 (H.264, yuv420p, moov
 * before mdat) of the captured frames plus the post-roll; the history links it; Range requests work.
 */

const FPS = 10;
const POST_ROLL_SECONDS = 1;
let t: TestDaemon;
let layers = 0;
let video: TimelapseDto;
let jobId = 0;

beforeAll(async () => {
  t = await startTestDaemon({ simSpeed: 100, engine: "worker" });
  layers = await uploadAnalysed(t.admin, "cube.gcode", CUBE);
  await configureTimelapse(t.admin, {
    mode: "layer",
    stabilize: false,
    minIntervalSeconds: 0,
    fps: FPS,
    postRollSeconds: POST_ROLL_SECONDS,
    minFreeMiB: 0,
  });
  jobId = await printToEnd(t.admin, "cube.gcode");
  const list = await waitForVideo(t.admin, jobId);
  video = list.videos.find((v) => v.jobId === jobId) as TimelapseDto;
}, 240_000);

afterAll(async () => {
  await t?.stop();
});

describe("layer-mode time-lapse of the cube", () => {
  it("captured one frame per layer and rendered them plus the post-roll", () => {
    expect(layers).toBe(100);
    expect(video).toMatchObject({
      jobId,
      file: "cube.gcode",
      outcome: "done",
      frames: layers + FPS * POST_ROLL_SECONDS,
      encoder: "libx264",
      width: 640,
      height: 480,
    });
    expect(video.name).toMatch(/^cube-\d{8}-\d{6}\.mp4$/);
  });

  it("is an H.264 yuv420p MP4 with the moov atom before mdat, as ffprobe decodes it", async () => {
    const file = path.join(t.dataDir, "timelapse", video.name);
    const probed = await probeVideo(file);
    expect(probed).toMatchObject({ codec_name: "h264", pix_fmt: "yuv420p", width: 640, height: 480 });
    expect(["High", "Main"]).toContain(probed.profile);
    expect(probed.level).toBeLessThanOrEqual(41);
    expect(probed.nb_read_frames).toBe(layers + FPS * POST_ROLL_SECONDS);
    const atoms = await atomOrder(file);
    expect(atoms.indexOf("moov")).toBeGreaterThan(-1);
    expect(atoms.indexOf("moov")).toBeLessThan(atoms.indexOf("mdat"));
  });

  it("is linked from the job's history record", async () => {
    const answer = await t.admin.get<HistoryJobResponse>(`/api/v1/history/jobs/${jobId}`);
    expect(answer.body.job.timelapse).toEqual({
      name: video.name,
      url: video.url,
      posterUrl: video.posterUrl,
    });
    const poster = await fetch(new URL(video.posterUrl as string, t.url), {
      headers: { cookie: t.admin.cookieHeader ?? "" },
    });
    expect(poster.status).toBe(200);
    expect(poster.headers.get("content-type")).toBe("image/jpeg");
    const bytes = Buffer.from(await poster.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
  });

  it("answers a Range request with 206 and exactly those bytes; a whole download names the file", async () => {
    const whole = await readFile(path.join(t.dataDir, "timelapse", video.name));
    const cookie = t.admin.cookieHeader ?? "";
    const ranged = await fetch(new URL(video.url, t.url), { headers: { cookie, range: "bytes=100-1099" } });
    expect(ranged.status).toBe(206);
    expect(ranged.headers.get("content-range")).toBe(`bytes 100-1099/${whole.length}`);
    expect(ranged.headers.get("content-type")).toBe("video/mp4");
    expect(Buffer.from(await ranged.arrayBuffer()).equals(whole.subarray(100, 1100))).toBe(true);
    const tail = await fetch(new URL(video.url, t.url), { headers: { cookie, range: "bytes=-500" } });
    expect(tail.status).toBe(206);
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 500))).toBe(true);
    const outside = await fetch(new URL(video.url, t.url), {
      headers: { cookie, range: `bytes=${whole.length + 10}-` },
    });
    expect(outside.status).toBe(416);
    const download = await fetch(new URL(video.downloadUrl, t.url), { headers: { cookie } });
    expect(download.status).toBe(200);
    expect(download.headers.get("content-disposition")).toContain(`filename="${video.name}"`);
    expect(Buffer.from(await download.arrayBuffer()).equals(whole)).toBe(true);
  });

  it("refuses the stream, the snapshot and the videos without credentials", async () => {
    for (const url of ["/api/v1/camera/stream", "/api/v1/camera/snapshot", video.url, "/api/v1/timelapses"]) {
      expect((await fetch(new URL(url, t.url))).status).toBe(401);
    }
  });
});
