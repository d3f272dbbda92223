import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FrameSet } from "../../../../server/camera/timelapse/frame-set.ts";
import { TimelapseLibrary } from "../../../../server/camera/timelapse/timelapse-library.ts";

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

async function library(): Promise<TimelapseLibrary> {
  const root = mkdtempSync(path.join(tmpdir(), "layerwatch-library-"));
  dirs.push(root);
  const lib = new TimelapseLibrary(root);
  await lib.init();
  return lib;
}

const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);
const START = Date.UTC(2026, 10, 26, 14, 30, 12);

describe("TimelapseLibrary", () => {
  it("names a print's video for its file and start, marks other outcomes, and never reuses a name", async () => {
    const lib = await library();
    const set = await FrameSet.create(lib.framesDir, {
      jobId: 3,
      file: "parts/Benchy v2!.gcode.gz",
      startedAt: START,
    });
    await set.end("done", START + 1000);
    const name = await lib.nameFor(set);
    expect(name).toBe("Benchy_v2_-20261126-143012.mp4");
    writeFileSync(lib.videoPath(name), "mp4");
    expect(await lib.nameFor(set)).toBe("Benchy_v2_-20261126-143012-2.mp4");
    await set.end("cancelled", START + 2000);
    expect(await lib.nameFor(set)).toBe("Benchy_v2_-20261126-143012-cancelled.mp4");
  });

  it("lists videos with their description and poster, newest first; removes all three files", async () => {
    const lib = await library();
    writeFileSync(lib.videoPath("a.mp4"), "12345");
    writeFileSync(lib.posterPath("a.mp4"), "jpg");
    await lib.saveMeta("a.mp4", {
      jobId: 1,
      file: "a.gcode",
      outcome: "done",
      frames: 10,
      durationSeconds: 0.4,
      width: 640,
      height: 480,
      encoder: "libx264",
    });
    writeFileSync(lib.videoPath("b.mp4"), "1");
    utimesSync(lib.videoPath("a.mp4"), new Date(START), new Date(START));
    const list = await lib.list();
    expect(list.map((v) => v.name)).toEqual(["b.mp4", "a.mp4"]);
    expect(list[1]).toMatchObject({
      name: "a.mp4",
      bytes: 5,
      poster: "a.jpg",
      jobId: 1,
      frames: 10,
      createdAt: START,
    });
    expect(list[0]).toMatchObject({ name: "b.mp4", poster: null, jobId: null, frames: null });
    await lib.remove("a.mp4");
    expect((await lib.list()).map((v) => v.name)).toEqual(["b.mp4"]);
    await expect(lib.remove("a.mp4")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses names that are not a video's: folders, traversal, hidden files, other types", async () => {
    const lib = await library();
    for (const name of ["../auth.db", "a/b.mp4", ".a.mp4", "a.mp4/..", "a.jpg", "", "a\u0000.mp4", "..mp4"]) {
      expect(() => lib.videoPath(name)).toThrow(expect.objectContaining({ code: "BAD_NAME" }));
    }
    await expect(lib.openSet("../frames")).rejects.toMatchObject({ code: "BAD_NAME" });
    await expect(lib.openSet("9-missing")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lists unrendered frame sets except the one recording, and deletes those unchanged for the set days", async () => {
    const lib = await library();
    const old = await FrameSet.create(lib.framesDir, { jobId: 1, file: "old.gcode", startedAt: START });
    await old.add(JPEG);
    await old.end("failed", START);
    const recent = await FrameSet.create(lib.framesDir, {
      jobId: 2,
      file: "new.gcode",
      startedAt: START + 1,
    });
    await recent.add(JPEG);
    await recent.add(JPEG);
    const recording = await FrameSet.create(lib.framesDir, {
      jobId: 3,
      file: "now.gcode",
      startedAt: START + 2,
    });
    expect((await lib.unrendered(recording.id)).map((s) => [s.id, s.frames, s.outcome])).toEqual([
      [recent.id, 2, null],
      [old.id, 1, "failed"],
    ]);
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    utimesSync(old.dir, tenDaysAgo, tenDaysAgo);
    utimesSync(recording.dir, tenDaysAgo, tenDaysAgo);
    expect(await lib.removeOlderThan(7, Date.now(), recording.id)).toEqual([old.id]);
    expect((await lib.unrendered(null)).map((s) => s.id).sort()).toEqual([recent.id, recording.id].sort());
  });
});
