import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, readFile, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { analyzeGcodeText } from "../../../../server/jobs/analysis/gcode-analyzer.ts";
import type { OpenForWrite } from "../../../../server/jobs/files/upload-writer.ts";
import { isHostError } from "../../../../server/util/errors.ts";
import { body, CUBE_GCODE, type Sandbox, sandbox, sha256, tempFiles } from "./store-harness.ts";

const MIB = 1024 * 1024;

/** `totalBytes` of G-code-like text in 64 KiB chunks, each chunk different; the same every time. */
function* pattern(totalBytes: number, chunkBytes = 64 * 1024): Generator<Buffer> {
  for (let offset = 0, i = 0; offset < totalBytes; offset += chunkBytes, i++) {
    yield Buffer.alloc(Math.min(chunkBytes, totalBytes - offset), `; chunk ${i}\nG1 X${i % 200} Y1 E0.1\n`);
  }
}

/** Opens a real temp file whose writes fail with `code` after `okWrites` writes: a disk filling up. */
function failingWrites(code: string, okWrites: number): OpenForWrite {
  return async (path) => {
    const handle = await open(path, "wx");
    let writes = 0;
    return {
      write: (buffer, offset, length) =>
        ++writes > okWrites
          ? Promise.reject(Object.assign(new Error(`${code}: simulated, write`), { code }))
          : handle.write(buffer, offset, length),
      sync: () => handle.sync(),
      close: () => handle.close(),
    };
  };
}

const quickAnalysis = () => Promise.resolve(analyzeGcodeText("G28\n"));

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe("FileStore.save", () => {
  it("streams 50 MB without buffering it and stores the content's SHA-256", async () => {
    const total = 50 * MIB;
    let produced = 0;
    let written = 0;
    let maxAhead = 0;
    const source = function* () {
      for (const chunk of pattern(total)) {
        maxAhead = Math.max(maxAhead, produced - written);
        produced += chunk.length;
        yield chunk;
      }
    };
    const counting: OpenForWrite = async (path) => {
      const handle = await open(path, "wx");
      return {
        write: (buffer, offset, length) => {
          written += length;
          return handle.write(buffer, offset, length);
        },
        sync: () => handle.sync(),
        close: () => handle.close(),
      };
    };
    const store = await box.store({ openForWrite: counting, analyze: quickAnalysis });

    const saved = await store.save("big.gcode", Readable.from(source()));

    const expected = createHash("sha256");
    for (const chunk of pattern(total)) expected.update(chunk);
    expect(saved.hash).toBe(expected.digest("hex"));
    expect(saved.size).toBe(total);
    const onDisk = createHash("sha256");
    for await (const chunk of createReadStream(join(box.root, "big.gcode"))) onDisk.update(chunk as Buffer);
    expect(onDisk.digest("hex")).toBe(saved.hash);
    // Each chunk is written before the next is read: the producer never runs more than the
    // stream's own buffer (16 chunks of 64 KiB) ahead of the disk.
    expect(maxAhead).toBeLessThanOrEqual(2 * MIB);
    // The background analysis writes its sidecar through a temp file of its own: let it finish first.
    await store.waitForAnalysis("big.gcode");
    expect(await tempFiles(box.root)).toEqual([]);
  });

  it("stops at the size limit with TOO_LARGE naming it, and leaves no file behind", async () => {
    const store = await box.store({ maxUploadBytes: 2 * MIB, analyze: quickAnalysis });
    const err = await store.save("big.gcode", Readable.from(pattern(3 * MIB))).catch((e: unknown) => e);
    expect(isHostError(err, "TOO_LARGE")).toBe(true);
    expect((err as Error).message).toMatch(/"big\.gcode" is larger than the upload limit of 2 MiB/);
    expect(await tempFiles(box.root)).toEqual([]);
    expect(await store.list()).toEqual([]);
    await expect(store.get("big.gcode")).rejects.toSatisfy((e) => isHostError(e, "NOT_FOUND"));
  });

  it("accepts a file of exactly the limit", async () => {
    const store = await box.store({ maxUploadBytes: 2 * MIB, analyze: quickAnalysis });
    expect((await store.save("edge.gcode", Readable.from(pattern(2 * MIB)))).size).toBe(2 * MIB);
  });

  it("refuses a declared size over the default 1 GiB limit before reading the body", async () => {
    const store = await box.store();
    let started = false;
    const source = Readable.from(
      (function* () {
        started = true;
        yield Buffer.from("G28\n");
      })(),
    );
    await expect(store.save("x.gcode", source, { declaredBytes: 2 * 1024 ** 3 })).rejects.toThrow(
      /upload limit of 1 GiB/,
    );
    expect(started).toBe(false);
  });

  it("keeps nothing of a body that fails midway (an aborted upload)", async () => {
    const store = await box.store();
    const source = new PassThrough();
    source.write(Buffer.alloc(256 * 1024, "G1 X1 Y1\n"));
    const saving = store.save("aborted.gcode", source);
    source.write(Buffer.alloc(256 * 1024, "G1 X2 Y2\n"));
    source.destroy(new Error("aborted"));
    await expect(saving).rejects.toThrow("aborted");
    expect(await store.list()).toEqual([]);
    expect(await tempFiles(box.root)).toEqual([]);
  });

  it("keeps nothing of a generator that throws after some chunks", async () => {
    const store = await box.store();
    const source = Readable.from(
      (function* () {
        yield Buffer.alloc(100_000, "G1 X1\n");
        yield Buffer.alloc(100_000, "G1 X2\n");
        throw new Error("connection reset");
      })(),
    );
    await expect(store.save("broken.gcode", source)).rejects.toThrow("connection reset");
    expect(await store.list()).toEqual([]);
    expect(await tempFiles(box.root)).toEqual([]);
  });

  it.each(["ENOSPC", "EDQUOT"])(
    "reports %s as STORAGE 'the disk is full' and removes the temp file",
    async (code) => {
      const store = await box.store({ openForWrite: failingWrites(code, 3) });
      const err = await store.save("full.gcode", Readable.from(pattern(MIB))).catch((e: unknown) => e);
      expect(isHostError(err, "STORAGE")).toBe(true);
      expect((err as Error).message).toBe('the disk is full: cannot write "full.gcode"');
      expect(await tempFiles(box.root)).toEqual([]);
      expect(await store.list()).toEqual([]);
    },
  );

  it("refuses an existing name with CONFLICT, replaces it with overwrite", async () => {
    const store = await box.store();
    await store.save("x.gcode", body("G28\n"));
    await expect(store.save("x.gcode", body("G1 X1\n"))).rejects.toSatisfy((e) => isHostError(e, "CONFLICT"));
    const replaced = await store.save("x.gcode", body("G1 X1\n"), { overwrite: true });
    expect(replaced.hash).toBe(sha256("G1 X1\n"));
    expect(await readFile(join(box.root, "x.gcode"), "utf8")).toBe("G1 X1\n");
    await store.waitForAnalysis("x.gcode"); // its sidecar is written through a temp file too
    expect(await tempFiles(box.root)).toEqual([]);
  });

  it("refuses to overwrite the printing file with BUSY and keeps it intact", async () => {
    const store = await box.store();
    await store.save("job.gcode", body(CUBE_GCODE));
    box.printing = "job.gcode";
    await expect(store.save("job.gcode", body("G28\n"), { overwrite: true })).rejects.toSatisfy((e) =>
      isHostError(e, "BUSY"),
    );
    expect(await readFile(join(box.root, "job.gcode"), "utf8")).toBe(CUBE_GCODE);
  });

  it("refuses a name taken by a folder with CONFLICT, even with overwrite", async () => {
    const store = await box.store();
    await store.createFolder("x.gcode");
    await expect(store.save("x.gcode", body("G28\n"), { overwrite: true })).rejects.toSatisfy((e) =>
      isHostError(e, "CONFLICT"),
    );
  });

  it("creates the folders of a nested name", async () => {
    const store = await box.store();
    const saved = await store.save("parts/left/arm.gcode", body("G28\n"));
    expect(saved).toMatchObject({ type: "file", name: "arm.gcode", path: "parts/left/arm.gcode", size: 4 });
  });

  it.each([
    ["../x.gcode", "BAD_NAME"],
    ["a/../../x.gcode", "BAD_NAME"],
    ["/etc/passwd.gcode", "BAD_NAME"],
    [".hidden.gcode", "BAD_NAME"],
    [".layerwatch/index.json.gcode", "BAD_NAME"],
    ["CON.gcode", "BAD_NAME"],
    ["nul.g", "BAD_NAME"],
    ["x\u0000.gcode", "BAD_NAME"],
    ["a\\..\\b.gcode", "BAD_NAME"],
    ["x.bgcode", "UNSUPPORTED_FILE"],
    ["x.stl", "UNSUPPORTED_FILE"],
  ])("refuses %j with %s and writes nothing anywhere", async (name, code) => {
    const store = await box.store();
    await expect(store.save(name, body("G28\n"))).rejects.toSatisfy((e) => isHostError(e, code as never));
    expect(await readdir(box.dir)).toEqual(["files"]);
    expect(await readdir(box.root)).toEqual([".layerwatch"]);
    expect(await tempFiles(box.root)).toEqual([]);
  });

  it("treats NFD and NFC spellings as one file", async () => {
    const store = await box.store();
    const saved = await store.save("cafe\u0301.gcode", body("G28\n"));
    expect(saved.path).toBe("caf\u00e9.gcode");
    await expect(store.save("caf\u00e9.gcode", body("G28\n"))).rejects.toSatisfy((e) =>
      isHostError(e, "CONFLICT"),
    );
    expect((await store.get("caf\u00e9.gcode")).hash).toBe(saved.hash);
    expect((await store.list()).map((e) => e.path)).toEqual(["caf\u00e9.gcode"]);
  });

  it("does not follow a symbolic link out of root", async () => {
    const outside = join(box.dir, "outside");
    await mkdir(outside);
    const store = await box.store();
    await symlink(outside, join(box.root, "evil"));
    await expect(store.save("evil/x.gcode", body("G28\n"))).rejects.toSatisfy((e) =>
      isHostError(e, "BAD_NAME"),
    );
    await expect(store.createFolder("evil/sub")).rejects.toSatisfy((e) => isHostError(e, "BAD_NAME"));
    await expect(store.list("evil")).rejects.toSatisfy((e) => isHostError(e, "BAD_NAME"));
    expect(await readdir(outside)).toEqual([]);
    expect(await store.list()).toEqual([]);
  });

  it("does not open, list or delete through a file symlink", async () => {
    const secret = join(box.dir, "secret.gcode");
    await writeFile(secret, "; secret\n");
    const store = await box.store();
    await symlink(secret, join(box.root, "link.gcode"));
    await expect(store.open("link.gcode")).rejects.toSatisfy((e) => isHostError(e, "BAD_NAME"));
    await expect(store.get("link.gcode")).rejects.toSatisfy((e) => isHostError(e, "BAD_NAME"));
    await expect(store.absolutePath("link.gcode")).rejects.toSatisfy((e) => isHostError(e, "BAD_NAME"));
    await expect(store.delete("link.gcode")).rejects.toSatisfy((e) => isHostError(e, "BAD_NAME"));
    expect(await store.list()).toEqual([]);
    expect(await readFile(secret, "utf8")).toBe("; secret\n");
  });
});
