import { readdirSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FilesResponse } from "../../../server/api/contract.ts";
import { apiKeyFor, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { until } from "../../helpers/until.ts";
import { multipartParts, rawRequest, upload } from "./v1-helpers.ts";

/** Uploads over the size limit and uploads cut off mid-way leave nothing in the store, not even a temp file. */

const LIMIT_MIB = 1;
let t: TestDaemon;

beforeAll(async () => {
  t = await startTestDaemon({ config: { jobs: { maxUploadMiB: LIMIT_MIB } } });
});

afterAll(async () => {
  await t?.stop();
});

function tempFiles(): string[] {
  return readdirSync(join(t.dataDir, "files", ".layerwatch", "tmp"));
}

async function storedPaths(): Promise<string[]> {
  return (await t.admin.get<FilesResponse>("/api/v1/files?recursive=true")).body.entries.map((e) => e.path);
}

function gcode(bytes: number): Buffer {
  return Buffer.alloc(bytes, "G1 X1 Y1\n");
}

describe("upload size limit", () => {
  it("accepts a file under the limit", async () => {
    const res = await upload(t.admin, "small.gcode", gcode(100_000));
    expect(res.status).toBe(201);
    // Its analysis writes a sidecar through a temp file of its own: let it finish before the later
    // tests look for leftover upload temp files.
    await t.parts.files.waitForAnalysis("small.gcode");
  });

  it("refuses a declared size over the limit with 413 before reading the body", async () => {
    const { head, tail, type } = multipartParts("big.gcode");
    const body = gcode(LIMIT_MIB * 1024 * 1024 + 4096);
    const key = await apiKeyFor(t, "uma", "operator");
    const res = await rawRequest(t.url, {
      method: "POST",
      path: "/api/v1/files",
      headers: {
        "content-type": type,
        "content-length": String(Buffer.byteLength(head) + body.length + Buffer.byteLength(tail)),
        "x-api-key": key,
      },
      chunks: [head, body, tail],
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ error: { code: "TOO_LARGE" } });
    expect(await storedPaths()).not.toContain("big.gcode");
    expect(tempFiles()).toEqual([]);
  });

  it("refuses a chunked upload that grows over the limit with 413, keeping nothing", async () => {
    const res = await upload(t.admin, "grown.gcode", gcode(LIMIT_MIB * 1024 * 1024 + 64 * 1024));
    expect(res.status).toBe(413);
    expect(await storedPaths()).not.toContain("grown.gcode");
    await expect.poll(tempFiles, { timeout: 5000 }).toEqual([]);
  });
});

describe("an upload cut off mid-way", () => {
  it("leaves neither the file nor its temp file", async () => {
    const { head, type } = multipartParts("cut.gcode");
    const key = await apiKeyFor(t, "abe", "operator");
    // Announces 900 KiB (under the limit), sends 256 KiB, and hangs up once the store is writing.
    const req = request(new URL("/api/v1/files", t.url), {
      method: "POST",
      headers: { "content-type": type, "content-length": String(900 * 1024), "x-api-key": key },
    });
    req.on("error", () => undefined);
    req.write(head);
    req.write(gcode(256 * 1024));
    await until(
      async () => tempFiles(),
      (files) => files.length > 0,
      "the upload's temp file appears",
    );
    req.destroy();
    await until(
      async () => tempFiles(),
      (files) => files.length === 0,
      "the temp file is removed",
    );
    expect(await storedPaths()).not.toContain("cut.gcode");
  });
});
