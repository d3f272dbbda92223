import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FrameSet, frameName } from "../../../../server/camera/timelapse/frame-set.ts";
import type { TimelapseConfig } from "../../../../server/camera/timelapse/timelapse-config.ts";
import {
  type CaptureWarning,
  TimelapseRecorder,
} from "../../../../server/camera/timelapse/timelapse-recorder.ts";
import { DEFAULT_TIMELAPSE } from "../../../../server/jobs/settings/camera-settings-schema.ts";
import { silentLogger } from "../../../../server/util/log.ts";
import { until } from "../../../helpers/until.ts";

/** A JPEG's first and last bytes around a counter: each frame is distinguishable. */
function jpeg(n: number): Buffer {
  return Buffer.from([0xff, 0xd8, n & 0xff, 0xff, 0xd9]);
}

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function rig(config: Partial<TimelapseConfig>, camera: { fail?: boolean; free?: number } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "layerwatch-frames-"));
  dirs.push(dir);
  let shots = 0;
  const warnings: CaptureWarning[] = [];
  const settings = { ...DEFAULT_TIMELAPSE, ...config };
  const recorder = new TimelapseRecorder({
    framesDir: dir,
    snapshot: async () => {
      if (camera.fail) throw new Error("camera snapshot http://cam/ failed: ECONNREFUSED");
      return jpeg(++shots);
    },
    freeBytes: async () => camera.free ?? 1e12,
    config: () => settings,
    log: silentLogger(),
  });
  recorder.on("warning", (w) => warnings.push(w));
  return { dir, recorder, warnings, settings, camera };
}

function framesIn(set: FrameSet): string[] {
  return readdirSync(set.dir)
    .filter((n) => n.startsWith("frame-"))
    .sort();
}

describe("TimelapseRecorder", () => {
  it("layer mode: a frame per layer change and a final one, gapless and in order", async () => {
    const { recorder } = rig({ mode: "layer", stabilize: false });
    await recorder.begin({ jobId: 7, file: "cube.gcode" });
    for (let layer = 1; layer <= 5; layer++) recorder.layer(layer);
    const set = (await recorder.end("done")) as FrameSet;
    expect(set.frames).toBe(5);
    expect(framesIn(set)).toEqual([1, 2, 3, 4, 5].map(frameName));
    expect([...readFileSync(path.join(set.dir, frameName(5)))]).toEqual([...jpeg(5)]);
    expect(set.meta).toMatchObject({ jobId: 7, file: "cube.gcode", outcome: "done" });
    const reopened = (await FrameSet.open(set.dir)) as FrameSet;
    expect(reopened.frames).toBe(5);
  });

  it("stabilized layer mode leaves layer events to the job layer's frame requests", async () => {
    const { recorder } = rig({ mode: "layer", stabilize: true });
    await recorder.begin({ jobId: 1, file: "a.gcode" });
    recorder.layer(2);
    await recorder.capture();
    const set = (await recorder.end("done")) as FrameSet;
    expect(set.frames).toBe(2);
  });

  it("keeps the minimum interval between frames, except for the final one", async () => {
    const { recorder } = rig({ mode: "layer", stabilize: false, minIntervalSeconds: 60 });
    await recorder.begin({ jobId: 1, file: "a.gcode" });
    recorder.layer(3);
    recorder.layer(4);
    recorder.layer(5);
    const set = (await recorder.end("cancelled")) as FrameSet;
    expect(set.frames).toBe(2);
    expect(set.meta.outcome).toBe("cancelled");
  });

  it("off: no set at all", async () => {
    const { recorder, dir } = rig({ mode: "off" });
    await recorder.begin({ jobId: 1, file: "a.gcode" });
    recorder.layer(6);
    expect(await recorder.end("done")).toBeNull();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a camera that fails: frames skipped with one warning per print, numbering stays gapless", async () => {
    const { recorder, warnings, camera } = rig({ mode: "layer", stabilize: false });
    await recorder.begin({ jobId: 3, file: "a.gcode" });
    recorder.layer(7);
    await recorder.idle();
    camera.fail = true;
    recorder.layer(8);
    recorder.layer(9);
    await recorder.capture();
    camera.fail = false;
    const set = (await recorder.end("done")) as FrameSet;
    expect(framesIn(set)).toEqual([frameName(1), frameName(2)]);
    expect(warnings).toEqual([
      {
        code: "CAMERA",
        jobId: 3,
        message: expect.stringMatching(/skipped: camera snapshot .* ECONNREFUSED/),
      },
    ]);
  });

  it("stops capturing below the free-space threshold, with a warning; frames so far are kept", async () => {
    const { recorder, warnings, camera } = rig({ mode: "layer", stabilize: false, minFreeMiB: 100 });
    await recorder.begin({ jobId: 4, file: "a.gcode" });
    recorder.layer(10);
    recorder.layer(11);
    await recorder.idle();
    camera.free = 99 * 1024 * 1024;
    recorder.layer(12);
    await recorder.idle();
    camera.free = 1e12;
    recorder.layer(13);
    const set = (await recorder.end("done")) as FrameSet;
    expect(set.frames).toBe(2);
    expect(warnings).toEqual([
      { code: "DISK", jobId: 4, message: expect.stringContaining("less than 100 MiB free") },
    ]);
  });

  it("timed mode: a frame every interval until the print ends", async () => {
    const { recorder } = rig({ mode: "timed", intervalSeconds: 1 });
    await recorder.begin({ jobId: 5, file: "a.gcode" });
    await until(
      async () => recorder.active?.frames ?? 0,
      (n) => n >= 2,
      "two timed frames",
      10_000,
    );
    const set = (await recorder.end("done")) as FrameSet;
    const frames = set.frames;
    await new Promise((r) => setTimeout(r, 1200));
    expect(framesIn(set)).toHaveLength(frames);
  });
});
