import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FileDetailDto, FileDto, FilesResponse } from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { CUBE } from "../../helpers/fixtures.ts";
import { layeredGcode } from "../../helpers/layered-gcode.ts";
import { addUser, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { upload, waitForAnalysis } from "./v1-helpers.ts";

/** The file routes: upload (multipart, streamed), list, analysis, thumbnail, download, folders, move, delete. */

/** A 1×1 PNG, as PrusaSlicer embeds thumbnails: base64 in `; thumbnail begin WxH LEN` … `; thumbnail end`. */
const PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
const WITH_THUMBNAIL = `; thumbnail begin 1x1 ${PNG_BASE64.length}\n; ${PNG_BASE64}\n; thumbnail end\n${layeredGcode({ layers: 3 })}`;

let t: TestDaemon;
let viewer: ApiClient;
let operator: ApiClient;

beforeAll(async () => {
  t = await startTestDaemon();
  viewer = await addUser(t, "vera", "viewer");
  operator = await addUser(t, "otto", "operator");
});

afterAll(async () => {
  await t?.stop();
});

async function paths(): Promise<string[]> {
  const res = await viewer.get<FilesResponse>("/api/v1/files?recursive=true");
  return res.body.entries.map((e) => e.path);
}

describe("upload and read", () => {
  it("streams a real slicer file into the store: 201, Location, then its analysis", async () => {
    const content = readFileSync(CUBE);
    const res = await upload(operator, "cube.gcode", content, { path: "parts" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get("location")).toBe("/api/v1/files/parts/cube.gcode");
    expect(res.body).toMatchObject({
      type: "file",
      path: "parts/cube.gcode",
      size: content.length,
      printing: false,
    });

    const file = await waitForAnalysis(viewer, "parts/cube.gcode");
    expect(file.analysis).toMatchObject({
      status: "ready",
      layers: 100,
      slicer: { generator: expect.stringContaining("PrusaSlicer") },
    });
    const detail = await viewer.get<FileDetailDto>("/api/v1/files/parts/cube.gcode");
    expect(detail.body.layers).toHaveLength(100);
    expect(detail.body.layers?.[0]).toMatchObject({ z: expect.any(Number), height: expect.any(Number) });
  });

  it("lists folders and files, at the top or recursively", async () => {
    const top = await viewer.get<FilesResponse>("/api/v1/files");
    expect(top.status).toBe(200);
    expect(top.body.entries).toContainEqual(expect.objectContaining({ type: "folder", path: "parts" }));
    expect(top.body.entries.some((e) => e.path === "parts/cube.gcode")).toBe(false);
    const inFolder = await viewer.get<FilesResponse>("/api/v1/files?folder=parts");
    expect(inFolder.body.entries.map((e) => e.path)).toEqual(["parts/cube.gcode"]);
    expect(await paths()).toEqual(expect.arrayContaining(["parts", "parts/cube.gcode"]));
    expect((await viewer.get("/api/v1/files?folder=missing")).status).toBe(404);
    expect((await viewer.get("/api/v1/files?recursive=maybe")).status).toBe(400);
  });

  it("downloads the exact bytes as an attachment with an RFC 5987 name", async () => {
    const name = "Würfel (v2).gcode";
    expect((await upload(operator, name, "G28\nG1 X10\n")).status).toBe(201);
    const res = await fetch(new URL(`/api/v1/files/${encodeURIComponent(name)}/download`, t.url), {
      headers: { cookie: viewer.cookieHeader ?? "" },
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("G28\nG1 X10\n");
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="W_rfel (v2).gcode"; filename*=UTF-8''W%C3%BCrfel%20%28v2%29.gcode`,
    );
    const cube = await fetch(new URL("/api/v1/files/parts/cube.gcode/download", t.url), {
      headers: { cookie: viewer.cookieHeader ?? "" },
    });
    expect(Buffer.from(await cube.arrayBuffer()).equals(readFileSync(CUBE))).toBe(true);
  });

  it("serves an embedded thumbnail as an image, and 404 where there is none", async () => {
    expect((await upload(operator, "thumb.gcode", WITH_THUMBNAIL)).status).toBe(201);
    const file = await waitForAnalysis(viewer, "thumb.gcode");
    expect(file.thumbnails).toEqual([
      { width: 1, height: 1, format: "png", url: "/api/v1/files/thumb.gcode/thumbnail?size=1x1" },
    ]);
    const res = await fetch(new URL(file.thumbnails[0]?.url ?? "", t.url), {
      headers: { cookie: viewer.cookieHeader ?? "" },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(Buffer.from(await res.arrayBuffer()).equals(Buffer.from(PNG_BASE64, "base64"))).toBe(true);
    expect((await viewer.get("/api/v1/files/thumb.gcode/thumbnail?size=9x9")).status).toBe(404);
    expect((await viewer.get("/api/v1/files/parts/cube.gcode/thumbnail")).status).toBe(404);
    expect((await viewer.get("/api/v1/files/thumb.gcode/thumbnail?size=big")).status).toBe(400);
  });

  it("answers 404 for a missing file and 400 for a path that climbs out", async () => {
    expect((await viewer.get("/api/v1/files/none.gcode")).status).toBe(404);
    const climb = await viewer.get("/api/v1/files/parts%2F..%2F..%2Fetc%2Fpasswd.gcode");
    expect(climb.status).toBe(400);
    expect(climb.body).toMatchObject({ error: { code: "BAD_NAME" } });
  });
});

describe("upload refusals leave nothing behind", () => {
  it("refuses hostile names with 400 BAD_NAME", async () => {
    const before = await paths();
    for (const [name, fields] of [
      ["../escape.gcode", {}],
      ["/etc/cron.d/x.gcode", {}],
      [".hidden.gcode", {}],
      ["con.gcode", {}],
      ["ok.gcode", { path: "../../outside" }],
      ["a\\b.gcode", {}],
    ] as const) {
      const res = await upload(operator, name, "G28\n", fields);
      expect(res.status, name).toBe(400);
      expect(res.body).toMatchObject({ error: { code: "BAD_NAME" } });
    }
    expect(await paths()).toEqual(before);
  });

  it("refuses what is not G-code or not multipart with 415", async () => {
    const stl = await upload(operator, "model.stl", "solid x\nendsolid x\n");
    expect(stl.status).toBe(415);
    const json = await operator.post("/api/v1/files", { file: "G28" });
    expect(json.status).toBe(415);
    expect(json.body).toMatchObject({
      error: { code: "UNSUPPORTED_FILE", message: expect.stringContaining("multipart") },
    });
  });

  it("refuses a malformed form: no file, unknown fields, fields after the file", async () => {
    const before = await paths();
    const noFile = new FormData();
    noFile.append("path", "parts");
    expect((await operator.request("POST", "/api/v1/files", { body: noFile })).status).toBe(400);
    expect((await upload(operator, "x.gcode", "G28\n", { select: "true" })).status).toBe(400);
    const late = new FormData();
    late.append("file", new Blob(["G28\n"]), "late.gcode");
    late.append("path", "parts");
    const lateRes = await operator.request("POST", "/api/v1/files", { body: late });
    expect(lateRes.status).toBe(400);
    expect(lateRes.body).toMatchObject({
      error: { message: expect.stringContaining("before the file part") },
    });
    expect(await paths()).toEqual(before);
  });

  it("stores the first file part of a form and drops any other", async () => {
    const two = new FormData();
    two.append("file", new Blob(["G28\n"]), "one.gcode");
    two.append("file", new Blob(["G28\n"]), "two.gcode");
    const res = await operator.request<FileDto>("POST", "/api/v1/files", { body: two });
    expect(res.status).toBe(201);
    expect(res.body.path).toBe("one.gcode");
    expect(await paths()).not.toContain("two.gcode");
    expect((await operator.request("DELETE", "/api/v1/files/one.gcode")).status).toBe(204);
  });

  it("refuses to replace a file unless asked to, and replaces it when asked", async () => {
    const conflict = await upload(operator, "cube.gcode", "G28\n", { path: "parts" });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ error: { code: "CONFLICT" } });
    const replaced = await upload(operator, "small.gcode", "G28\n");
    expect(replaced.status).toBe(201);
    const again = await upload(operator, "small.gcode", "G28\nG1 X1\n", { overwrite: "true" });
    expect(again.status).toBe(201);
    expect(again.body.size).toBe(10);
  });

  it("is refused to a viewer", async () => {
    expect((await upload(viewer, "v.gcode", "G28\n")).status).toBe(403);
  });
});

describe("folders, move, delete", () => {
  it("creates a folder, moves a file into it, deletes both", async () => {
    const folder = await operator.post("/api/v1/folders", { path: "archive/2026" });
    expect(folder.status).toBe(201);
    expect(folder.body).toMatchObject({ type: "folder", path: "archive/2026" });
    expect((await operator.post("/api/v1/folders", { path: "archive/2026" })).status).toBe(409);
    expect((await operator.post("/api/v1/folders", { path: "../up" })).status).toBe(400);

    const moved = await operator.post<FileDto>("/api/v1/files/move", {
      from: "small.gcode",
      to: "archive/2026/small.gcode",
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ type: "file", path: "archive/2026/small.gcode" });
    expect((await operator.post("/api/v1/files/move", { from: "small.gcode", to: "x.gcode" })).status).toBe(
      404,
    );
    expect(
      (await operator.post("/api/v1/files/move", { from: "thumb.gcode", to: "../x.gcode" })).status,
    ).toBe(400);
    expect((await operator.post("/api/v1/files/move", { from: "thumb.gcode" })).status).toBe(400);

    const notEmpty = await operator.request("DELETE", "/api/v1/files/archive");
    expect(notEmpty.status).toBe(409);
    expect((await operator.request("DELETE", "/api/v1/files/archive?recursive=true")).status).toBe(204);
    expect((await operator.request("DELETE", "/api/v1/files/archive")).status).toBe(404);
    expect((await viewer.request("DELETE", "/api/v1/files/thumb.gcode")).status).toBe(403);
    expect((await operator.request("DELETE", "/api/v1/files/thumb.gcode")).status).toBe(204);
    expect(await paths()).not.toContain("thumb.gcode");
  });
});
