import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { partPath, writeViaPart } from "../../../../server/camera/render/temp-output.ts";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "layerwatch-temp-output-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe("writeViaPart", () => {
  it("writes a hidden part file beside the destination", () => {
    expect(partPath("/data/timelapse/benchy.mp4")).toBe("/data/timelapse/.benchy.part.mp4");
    expect(partPath("/data/poster")).toBe("/data/.poster.part");
  });

  it("renames the part over the destination and reports its size", async () => {
    const dest = join(dir, "movie.mp4");
    writeFileSync(dest, "old");
    const { value, bytes } = await writeViaPart(dest, async (part) => {
      writeFileSync(part, "new movie");
      return 7;
    });
    expect(value).toBe(7);
    expect(bytes).toBe(9);
    expect(readFileSync(dest, "utf8")).toBe("new movie");
    expect(readdirSync(dir)).toEqual(["movie.mp4"]);
  });

  it("removes the part and keeps the old destination when producing fails", async () => {
    const dest = join(dir, "movie.mp4");
    writeFileSync(dest, "old");
    await expect(
      writeViaPart(dest, async (part) => {
        writeFileSync(part, "half");
        throw new Error("encoder died");
      }),
    ).rejects.toThrow("encoder died");
    expect(readdirSync(dir)).toEqual(["movie.mp4"]);
    expect(readFileSync(dest, "utf8")).toBe("old");
  });
});
