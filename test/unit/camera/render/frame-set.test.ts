import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { frameName, readFrameSet } from "../../../../server/camera/render/frame-set.ts";
import { HostError } from "../../../../server/util/errors.ts";

const dirs: string[] = [];

function dirWith(names: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "layerwatch-frame-set-"));
  dirs.push(dir);
  for (const name of names) writeFileSync(join(dir, name), "");
  return dir;
}

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("readFrameSet", () => {
  it("names frames as ffmpeg's frame-%06d.jpg expands them", () => {
    expect([1, 42, 999_999, 1_000_000].map(frameName)).toEqual([
      "frame-000001.jpg",
      "frame-000042.jpg",
      "frame-999999.jpg",
      "frame-1000000.jpg",
    ]);
  });

  it("counts gapless frames and ignores other files", async () => {
    const dir = dirWith([
      "frame-000001.jpg",
      "frame-000002.jpg",
      "frame-000003.jpg",
      "notes.txt",
      "frame-1.jpg",
    ]);
    await expect(readFrameSet(dir)).resolves.toEqual({
      dir,
      count: 3,
      pattern: join(dir, "frame-%06d.jpg"),
      first: join(dir, "frame-000001.jpg"),
      last: join(dir, "frame-000003.jpg"),
    });
  });

  it("fails RENDER naming the missing frame of a gap", async () => {
    const dir = dirWith(["frame-000001.jpg", "frame-000002.jpg", "frame-000004.jpg"]);
    await expect(readFrameSet(dir)).rejects.toMatchObject({
      code: "RENDER",
      message: /frame-000003\.jpg is missing/,
    });
  });

  it("fails RENDER 'no frames' for an empty or missing directory", async () => {
    const empty = dirWith(["frame-000000.jpg"]);
    await expect(readFrameSet(empty)).rejects.toBeInstanceOf(HostError);
    await expect(readFrameSet(empty)).rejects.toMatchObject({ code: "RENDER", message: /^no frames in / });
    await expect(readFrameSet(join(empty, "absent"))).rejects.toMatchObject({
      code: "RENDER",
      message: /^no frames/,
    });
  });
});
