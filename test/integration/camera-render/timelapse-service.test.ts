import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TimelapseConfig } from "../../../server/camera/timelapse/timelapse-config.ts";
import { TimelapseLibrary, type TimelapseVideo } from "../../../server/camera/timelapse/timelapse-library.ts";
import { TimelapseRecorder } from "../../../server/camera/timelapse/timelapse-recorder.ts";
import { createRenderer } from "../../../server/camera/timelapse/timelapse-renderer.ts";
import { type RenderState, TimelapseService } from "../../../server/camera/timelapse/timelapse-service.ts";
import { DEFAULT_TIMELAPSE } from "../../../server/jobs/settings/camera-settings-schema.ts";
import { silentLogger } from "../../../server/util/log.ts";
import { testsrcJpeg } from "../../helpers/fake-mjpeg-camera.ts";
import { probeVideo } from "../../helpers/ffprobe.ts";

/**
 * The time-lapse service with the real recorder, renderer (ffmpeg) and library: frames from a print
 * become a video with a poster for the outcomes the settings name; others wait as unrendered sets,
 * which can be rendered later; nothing renders while a print runs unless asked.
 */

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

async function rig(overrides: Partial<TimelapseConfig> = {}) {
  const root = mkdtempSync(path.join(tmpdir(), "layerwatch-service-"));
  const jpeg = await testsrcJpeg(160, 120);
  const config: TimelapseConfig = {
    ...DEFAULT_TIMELAPSE,
    mode: "layer",
    stabilize: false,
    fps: 10,
    postRollSeconds: 0,
    minFreeMiB: 0,
    ...overrides,
  };
  const library = new TimelapseLibrary(root);
  const log = silentLogger();
  const gate = { printing: false };
  const recorder = new TimelapseRecorder({
    framesDir: library.framesDir,
    snapshot: async () => jpeg,
    freeBytes: async () => 1e12,
    config: () => config,
    log,
  });
  const service = new TimelapseService({
    library,
    recorder,
    renderer: createRenderer({ log, canRun: () => !gate.printing }),
    config: () => config,
    log,
  });
  await service.start();
  const rendered: TimelapseVideo[] = [];
  const progress: RenderState[] = [];
  service.on("rendered", (video) => rendered.push(video));
  service.on("renderProgress", (state) => progress.push(state));
  cleanup.push(async () => {
    await service.stop();
    rmSync(root, { recursive: true, force: true });
  });
  const print = async (jobId: number, layers: number, outcome: "done" | "cancelled" | "failed") => {
    await service.printStarted({ jobId, file: `job${jobId}.gcode` });
    for (let layer = 1; layer <= layers; layer++) service.layerChanged(layer);
    await service.printFinished(outcome);
  };
  const whenRendered = (count: number) =>
    new Promise<void>((resolve) => {
      const check = () => (rendered.length >= count ? resolve() : setTimeout(check, 20));
      check();
    });
  return { service, library, rendered, progress, print, whenRendered, gate, config };
}

describe("TimelapseService", () => {
  it("renders a finished print's frames into a video with a poster, removes the frames, reports progress", async () => {
    const { library, rendered, progress, print, whenRendered } = await rig();
    await print(1, 6, "done");
    await whenRendered(1);
    const [video] = rendered;
    expect(video).toMatchObject({
      jobId: 1,
      file: "job1.gcode",
      outcome: "done",
      frames: 6,
      width: 160,
      height: 120,
    });
    expect(video?.poster).toBe(video?.name.replace(/\.mp4$/, ".jpg"));
    expect((await probeVideo(library.videoPath(video?.name as string))).nb_read_frames).toBe(6);
    expect(await library.unrendered()).toEqual([]);
    expect(progress.at(-1)?.fraction).toBe(1);
  });

  it("keeps an outcome the settings do not render as an unrendered set, which renders on demand", async () => {
    const { service, library, rendered, print } = await rig({ renderOn: ["done"] });
    await print(2, 4, "cancelled");
    const [set] = await library.unrendered();
    expect(set).toMatchObject({ jobId: 2, frames: 4, outcome: "cancelled" });
    const video = await service.renderUnrendered(set?.id as string);
    expect(video).toMatchObject({ jobId: 2, frames: 4, outcome: "cancelled" });
    expect(video.name).toMatch(/-cancelled\.mp4$/);
    expect(rendered).toHaveLength(1);
    expect(await library.unrendered()).toEqual([]);
  });

  it("waits for the print to end before rendering; a render asked for runs during a print", async () => {
    const { service, library, rendered, print, whenRendered, gate } = await rig({
      renderOn: ["done", "failed"],
    });
    await print(3, 3, "failed");
    gate.printing = true;
    await print(4, 3, "cancelled");
    // Job 3's render may have started before the gate closed; job 4's set is not to be rendered.
    const [set] = (await library.unrendered()).filter((s) => s.jobId === 4);
    expect(set).toBeDefined();
    await service.printStarted({ jobId: 5, file: "job5.gcode" });
    const urgent = await service.renderUnrendered(set?.id as string);
    expect(urgent.jobId).toBe(4);
    await expect(service.renderUnrendered(service.recording?.set as string)).rejects.toMatchObject({
      code: "BUSY",
    });
    service.layerChanged(2);
    await service.printFinished("done");
    const waiting = service.rendering().map((r) => r.jobId);
    expect(waiting).toContain(5);
    gate.printing = false;
    service.poke();
    await whenRendered(3);
    expect(rendered.map((v) => v.jobId).sort()).toEqual([3, 4, 5]);
    expect(existsSync(library.framesDir)).toBe(true);
    expect(await library.unrendered()).toEqual([]);
  });
});
