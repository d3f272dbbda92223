import { readdir, readFile, realpath, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { text } from "node:stream/consumers";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileStore } from "../../../../server/jobs/files/file-store.ts";
import { isHostError } from "../../../../server/util/errors.ts";
import { body, CUBE_GCODE, type Sandbox, sandbox, sha256 } from "./store-harness.ts";

let box: Sandbox;
let store: FileStore;
beforeEach(async () => {
  box = await sandbox();
  store = await box.store();
});
afterEach(async () => {
  await box.cleanup();
});

const code = (c: Parameters<typeof isHostError>[1]) => (e: unknown) => isHostError(e, c);

describe("FileStore listing and reading", () => {
  beforeEach(async () => {
    await store.save("cube.gcode", body(CUBE_GCODE));
    await store.save("parts/arm.gcode", body("G28\nG1 X1 E1\n"));
    await store.createFolder("empty");
  });

  it("lists a folder's direct children, sorted by path, with size, time, hash and analysis", async () => {
    await store.waitForAnalysis("cube.gcode");
    const entries = await store.list();
    expect(entries.map((e) => [e.type, e.path])).toEqual([
      ["file", "cube.gcode"],
      ["folder", "empty"],
      ["folder", "parts"],
    ]);
    expect(entries[0]).toMatchObject({
      name: "cube.gcode",
      size: Buffer.byteLength(CUBE_GCODE),
      hash: sha256(CUBE_GCODE),
      analysis: { status: "ready", analysis: { layers: 2 } },
    });
    expect(entries[0]?.modifiedMs).toBeGreaterThan(0);
  });

  it("lists recursively, and one folder", async () => {
    expect((await store.list(undefined, { recursive: true })).map((e) => e.path)).toEqual([
      "cube.gcode",
      "empty",
      "parts",
      "parts/arm.gcode",
    ]);
    expect((await store.list("parts")).map((e) => e.path)).toEqual(["parts/arm.gcode"]);
    expect(await store.list("empty")).toEqual([]);
  });

  it("hides the metadata folder, hidden files and non-G-code files put there by hand", async () => {
    await writeFile(join(box.root, ".DS_Store"), "x");
    await writeFile(join(box.root, "notes.txt"), "x");
    expect(await readdir(box.root)).toContain(".layerwatch");
    expect((await store.list()).map((e) => e.path)).toEqual(["cube.gcode", "empty", "parts"]);
  });

  it("refuses to list a missing folder or a file with NOT_FOUND", async () => {
    await expect(store.list("missing")).rejects.toSatisfy(code("NOT_FOUND"));
    await expect(store.list("cube.gcode")).rejects.toSatisfy(code("NOT_FOUND"));
  });

  it("gets, opens and locates a file; NOT_FOUND when missing", async () => {
    expect(await store.get("parts/arm.gcode")).toMatchObject({ path: "parts/arm.gcode", size: 13 });
    expect(await text(await store.open("cube.gcode"))).toBe(CUBE_GCODE);
    expect(await store.absolutePath("parts/arm.gcode")).toBe(
      join(await realpath(box.root), "parts/arm.gcode"),
    );
    await expect(store.get("nope.gcode")).rejects.toSatisfy(code("NOT_FOUND"));
    await expect(store.open("nope.gcode")).rejects.toSatisfy(code("NOT_FOUND"));
    await expect(store.absolutePath("parts/nope.gcode")).rejects.toSatisfy(code("NOT_FOUND"));
    await expect(store.get("cube.gcode/x.gcode")).rejects.toSatisfy(code("CONFLICT"));
  });

  it("creates folders with their parents; CONFLICT if taken", async () => {
    expect(await store.createFolder("a/b/c")).toMatchObject({ type: "folder", name: "c", path: "a/b/c" });
    expect((await store.list("a/b")).map((e) => e.path)).toEqual(["a/b/c"]);
    await expect(store.createFolder("empty")).rejects.toSatisfy(code("CONFLICT"));
    await expect(store.createFolder("cube.gcode")).rejects.toSatisfy(code("CONFLICT"));
    await expect(store.createFolder("../up")).rejects.toSatisfy(code("BAD_NAME"));
  });
});

describe("FileStore.move", () => {
  beforeEach(async () => {
    await store.save("cube.gcode", body(CUBE_GCODE));
    await store.save("parts/arm.gcode", body("G28\n"));
  });

  it("renames a file in place and into new folders, keeping hash and analysis", async () => {
    const before = await store.waitForAnalysis("cube.gcode");
    expect(before.analysis.status).toBe("ready");
    const renamed = await store.move("cube.gcode", "archive/2024/cube-v2.gcode");
    expect(renamed).toMatchObject({ path: "archive/2024/cube-v2.gcode", hash: before.hash });
    expect(renamed.type === "file" && renamed.analysis).toEqual(before.analysis);
    await expect(store.get("cube.gcode")).rejects.toSatisfy(code("NOT_FOUND"));
    expect(await readFile(join(box.root, "archive/2024/cube-v2.gcode"), "utf8")).toBe(CUBE_GCODE);
  });

  it("moves a folder with its files", async () => {
    const moved = await store.move("parts", "old/parts");
    expect(moved).toMatchObject({ type: "folder", path: "old/parts" });
    expect((await store.list("old", { recursive: true })).map((e) => e.path)).toEqual([
      "old/parts",
      "old/parts/arm.gcode",
    ]);
    expect((await store.get("old/parts/arm.gcode")).hash).toBe(sha256("G28\n"));
  });

  it("refuses a taken target (CONFLICT), a missing source (NOT_FOUND) and bad targets", async () => {
    await expect(store.move("cube.gcode", "parts/arm.gcode")).rejects.toSatisfy(code("CONFLICT"));
    await expect(store.move("parts", "cube.gcode")).rejects.toSatisfy(code("CONFLICT"));
    await expect(store.move("nope.gcode", "x.gcode")).rejects.toSatisfy(code("NOT_FOUND"));
    await expect(store.move("cube.gcode", "cube.stl")).rejects.toSatisfy(code("UNSUPPORTED_FILE"));
    await expect(store.move("cube.gcode", "../cube.gcode")).rejects.toSatisfy(code("BAD_NAME"));
    await expect(store.move("parts", "parts/inner")).rejects.toSatisfy(code("BAD_NAME"));
    expect((await store.list()).map((e) => e.path)).toEqual(["cube.gcode", "parts"]);
  });

  it("refuses to move the printing file, or a folder holding it, with BUSY", async () => {
    box.printing = "parts/arm.gcode";
    await expect(store.move("parts/arm.gcode", "arm.gcode")).rejects.toSatisfy(code("BUSY"));
    await expect(store.move("parts", "other")).rejects.toThrow(/"parts\/arm\.gcode" in "parts" is printing/);
    expect(await store.move("cube.gcode", "cube2.gcode")).toMatchObject({ path: "cube2.gcode" });
  });
});

describe("FileStore.delete", () => {
  beforeEach(async () => {
    await store.save("cube.gcode", body(CUBE_GCODE));
    await store.save("parts/arm.gcode", body("G28\n"));
    await store.createFolder("empty");
  });

  it("deletes a file and an empty folder", async () => {
    await store.delete("cube.gcode");
    await store.delete("empty");
    expect((await store.list()).map((e) => e.path)).toEqual(["parts"]);
    await expect(store.delete("cube.gcode")).rejects.toSatisfy(code("NOT_FOUND"));
  });

  it("deletes a folder with content only when recursive", async () => {
    await expect(store.delete("parts")).rejects.toThrow(/folder "parts" is not empty/);
    await store.delete("parts", { recursive: true });
    expect((await store.list()).map((e) => e.path)).toEqual(["cube.gcode", "empty"]);
  });

  it("refuses to delete the printing file or a folder holding it with BUSY", async () => {
    box.printing = "parts/arm.gcode";
    await expect(store.delete("parts/arm.gcode")).rejects.toSatisfy(code("BUSY"));
    await expect(store.delete("parts", { recursive: true })).rejects.toSatisfy(code("BUSY"));
    box.printing = null;
    await store.delete("parts", { recursive: true });
  });

  it("refuses the root and hostile names", async () => {
    await expect(store.delete("")).rejects.toSatisfy(code("BAD_NAME"));
    await expect(store.delete("..")).rejects.toSatisfy(code("BAD_NAME"));
    await expect(store.delete(".layerwatch")).rejects.toSatisfy(code("BAD_NAME"));
  });
});
