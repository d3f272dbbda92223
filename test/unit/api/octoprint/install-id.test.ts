import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { INSTALL_ID_FILE, loadInstallId } from "../../../../server/api/octoprint/install-id.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "layerwatch-id-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("install id", () => {
  it("is created once and read back the same, leaving no temp file", async () => {
    const id = await loadInstallId(dir);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await loadInstallId(dir)).toBe(id);
    expect((await readFile(join(dir, INSTALL_ID_FILE), "utf8")).trim()).toBe(id);
    expect(await readdir(dir)).toEqual([INSTALL_ID_FILE]);
  });

  it("is the same for callers racing at first boot", async () => {
    const ids = await Promise.all(Array.from({ length: 8 }, () => loadInstallId(dir)));
    expect(new Set(ids).size).toBe(1);
  });

  it("replaces a damaged file and creates the data directory", async () => {
    await writeFile(join(dir, INSTALL_ID_FILE), "garbage\n");
    const id = await loadInstallId(dir);
    expect(id).not.toBe("garbage");
    expect(await loadInstallId(dir)).toBe(id);
    const nested = join(dir, "new", "data");
    expect(await loadInstallId(nested)).toMatch(/^[0-9a-f-]{36}$/);
  });
});
