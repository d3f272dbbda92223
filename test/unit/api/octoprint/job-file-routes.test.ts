import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ApiClient, type ApiResponse } from "../../../helpers/api-client.ts";
import {
  findItem,
  type OctoFileItem,
  type OctoFiles,
  type OctoFolderCreated,
  type OctoFolderItem,
  type OctoItem,
  type OctoJob,
  type OctoPrinter,
  type OctoUpload,
} from "../../../helpers/octoprint-shapes.ts";
import { type OctoHarness, startOctoHarness } from "./octo-harness.ts";

const GCODE =
  ";FLAVOR:Marlin\nG28\nG1 Z0.2 F3000\n;LAYER_CHANGE\n;Z:0.2\nG1 X10 Y10 E1 F1200\nG1 X20 Y10 E2\n";

let h: OctoHarness;
let client: ApiClient;
let operator: string;
let viewer: string;

/** A multipart upload with the fields in the given order and the file part last, as the slicers send. */
function upload(
  name: string,
  fields: Record<string, string> = {},
  content = GCODE,
  after: Record<string, string> = {},
): Promise<ApiResponse<OctoUpload>> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append("file", new Blob([content]), name);
  for (const [k, v] of Object.entries(after)) form.append(k, v);
  return client.request("POST", "/api/files/local", { apiKey: operator, body: form });
}

const job = async () => (await client.get<OctoJob>("/api/job", { apiKey: viewer })).body;
const command = (json: unknown) => client.post("/api/job", json, { apiKey: operator });

beforeAll(async () => {
  h = await startOctoHarness();
  client = new ApiClient(h.url);
  operator = await h.keyFor("otto", "operator");
  viewer = await h.keyFor("vera", "viewer");
});
afterAll(async () => {
  await h.stop();
});
beforeEach(async () => {
  if (h.engine.snapshot().job !== null) await h.engine.cancel();
  h.engine.hold = null;
  h.engine.connected();
});

describe("uploads", () => {
  it("stores a file (201, Location, files.local) without selecting it", async () => {
    const res = await upload("cube.gcode", { path: "" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.get("location")).toBe(`${h.url}/api/files/local/cube.gcode`);
    expect(res.body).toEqual({
      files: {
        local: {
          name: "cube.gcode",
          display: "cube.gcode",
          path: "cube.gcode",
          origin: "local",
          refs: {
            resource: `${h.url}/api/files/local/cube.gcode`,
            download: `${h.url}/downloads/files/local/cube.gcode`,
          },
        },
      },
      done: true,
      effectiveSelect: false,
      effectivePrint: false,
    });
    expect((await job()).job.file.name).toBeNull();
  });

  it("stores into the `path` folder, selects with select=yes, and overwrites by default", async () => {
    const res = await upload("part.gcode", { path: "/prints/", select: "yes" });
    expect(res.status).toBe(201);
    expect(res.body.files.local.path).toBe("prints/part.gcode");
    expect(res.body.effectiveSelect).toBe(true);
    expect((await job()).job.file).toMatchObject({
      name: "part.gcode",
      path: "prints/part.gcode",
      origin: "local",
    });
    expect((await upload("part.gcode", { path: "prints" }, `${GCODE}M84\n`)).status).toBe(201);
    expect((await upload("part.gcode", { path: "prints", noOverwrite: "true" })).status).toBe(409);
  });

  it("starts a print with print=true once the printer is ready, and drops it (not 409) when it is not", async () => {
    const res = await upload("go.gcode", { print: "true", path: "" });
    expect(res.body).toMatchObject({ effectiveSelect: true, effectivePrint: true });
    await expect.poll(() => h.engine.snapshot().state).toBe("printing");
    expect(h.engine.snapshot().job?.file).toBe("go.gcode");
    const busy = await upload("later.gcode", { print: "true", select: "true" });
    expect(busy.status).toBe(201);
    expect(busy.body).toMatchObject({ effectiveSelect: false, effectivePrint: false });
    expect((await job()).job.file.name).toBe("go.gcode");
    expect((await upload("go.gcode", {})).status).toBe(409);
  });

  it("counts a print that is on its way as busy", async () => {
    let release = () => {};
    h.engine.hold = new Promise((resolve) => {
      release = resolve;
    });
    expect((await upload("first.gcode", { print: "1" })).body.effectivePrint).toBe(true);
    expect((await upload("second.gcode", { print: "1" })).body.effectivePrint).toBe(false);
    expect((await client.get<OctoPrinter>("/api/printer", { apiKey: viewer })).body.state.flags.ready).toBe(
      false,
    );
    release();
    await expect.poll(() => h.engine.snapshot().job?.file).toBe("first.gcode");
  });

  it("refuses a bad type (415), a bad name or no file (400), and destination fields after the file (400)", async () => {
    expect((await upload("model.stl", {})).status).toBe(415);
    expect((await upload("../escape.gcode", {})).status).toBe(400);
    const form = new FormData();
    form.append("print", "true");
    expect((await client.request("POST", "/api/files/local", { apiKey: operator, body: form })).status).toBe(
      400,
    );
    const late = await upload("late.gcode", {}, GCODE, { path: "elsewhere" });
    expect(late.status).toBe(400);
    expect((await client.get("/api/files/local/late.gcode", { apiKey: viewer })).status).toBe(404);
    const json = await client.post("/api/files/local", { file: "x" }, { apiKey: operator });
    expect(json.status).toBe(400);
    expect((await upload("x.gcode", {}, GCODE)).status).toBe(201);
    const noKey = new FormData();
    noKey.append("file", new Blob([GCODE]), "nokey.gcode");
    expect((await client.request("POST", "/api/files/local", { body: noKey, origin: null })).status).toBe(
      401,
    );
    expect((await client.request("POST", "/api/files/local", { apiKey: viewer, body: noKey })).status).toBe(
      403,
    );
  });

  it("makes a folder with `foldername`", async () => {
    const form = new FormData();
    form.append("foldername", "new");
    form.append("path", "prints");
    const res = await client.request<OctoFolderCreated>("POST", "/api/files/local", {
      apiKey: operator,
      body: form,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      folder: { name: "new", path: "prints/new", origin: "local" },
      done: true,
    });
  });
});

describe("files", () => {
  it("lists files with their analysis, folders with children, and free space", async () => {
    await h.files.waitForAnalysis("cube.gcode");
    const res = await client.get<OctoFiles>("/api/files", { apiKey: viewer });
    expect(res.status).toBe(200);
    expect(res.body.free).toBeGreaterThan(0);
    expect(res.body.total).toBeGreaterThanOrEqual(res.body.free);
    const cube = findItem(res.body.files, "cube.gcode") as OctoFileItem;
    expect(cube).toMatchObject({ type: "machinecode", typePath: ["machinecode", "gcode"], origin: "local" });
    expect(cube.gcodeAnalysis?.estimatedPrintTime).toBeGreaterThan(0);
    expect(cube.gcodeAnalysis?.filament.tool0?.length).toBeGreaterThan(0);
    const prints = findItem(res.body.files, "prints") as OctoFolderItem;
    expect(prints.type).toBe("folder");
    expect(prints.children?.map((c) => c.path)).toEqual(["prints/new", "prints/part.gcode"]);
    expect(prints.children?.[0]).not.toHaveProperty("children");
    const local = await client.get<OctoFiles>("/api/files/local?recursive=true", { apiKey: viewer });
    expect((findItem(local.body.files, "prints/new") as OctoFolderItem).children).toEqual([]);
  });

  it("gets one file or folder, 404 when missing; downloads it", async () => {
    const one = await client.get<OctoItem>("/api/files/local/prints/part.gcode", {
      apiKey: viewer,
    });
    expect(one.body).toMatchObject({ name: "part.gcode", path: "prints/part.gcode" });
    const folder = await client.get<OctoItem>("/api/files/local/prints", { apiKey: viewer });
    expect(folder.body.type).toBe("folder");
    expect((await client.get("/api/files/local/nothing.gcode", { apiKey: viewer })).status).toBe(404);
    const download = await client.get<string>("/downloads/files/local/cube.gcode", { apiKey: viewer });
    expect(download.status).toBe(200);
    expect(download.body).toBe(GCODE);
    expect(download.headers.get("content-disposition")).toContain("cube.gcode");
    expect(download.headers.get("content-type")).toBe("application/octet-stream");
    expect(download.headers.get("cache-control")).toBe("no-store");
  });

  it("selects, selects and prints (409 when busy), and deletes (409 while printing)", async () => {
    const post = (path: string, json: unknown) => client.post(path, json, { apiKey: operator });
    expect((await post("/api/files/local/cube.gcode", { command: "select" })).status).toBe(204);
    expect((await job()).job.file.path).toBe("cube.gcode");
    expect((await post("/api/files/local/nothing.gcode", { command: "select" })).status).toBe(404);
    expect((await post("/api/files/local/cube.gcode", { command: "select", print: true })).status).toBe(204);
    expect(h.engine.snapshot().job?.file).toBe("cube.gcode");
    expect((await post("/api/files/local/x.gcode", { command: "select", print: true })).status).toBe(409);
    expect((await client.request("DELETE", "/api/files/local/cube.gcode", { apiKey: operator })).status).toBe(
      409,
    );
    await h.engine.cancel();
    expect((await client.request("DELETE", "/api/files/local/cube.gcode", { apiKey: operator })).status).toBe(
      204,
    );
    expect((await job()).job.file.name).toBeNull();
  });
});

describe("job", () => {
  it("shows nulls without a file, and the selected file with the state text", async () => {
    const body = await job();
    expect(body.state).toBe("Operational");
    expect(body.job.file).toEqual({
      name: null,
      display: null,
      path: null,
      origin: null,
      size: null,
      date: null,
    });
    expect(body.progress).toMatchObject({ completion: null, printTime: null, printTimeLeft: null });
  });

  it("starts the selected file, toggles pause, resumes, and cancels, with 409 where OctoPrint has it", async () => {
    expect((await command({ command: "start" })).status).toBe(409); // nothing selected
    expect(
      (await client.post("/api/files/local/x.gcode", { command: "select" }, { apiKey: operator })).status,
    ).toBe(204);
    expect((await command({ command: "cancel" })).status).toBe(409);
    expect((await command({ command: "pause", action: "pause" })).status).toBe(409);
    expect((await command({ command: "start" })).status).toBe(204);
    expect(h.engine.snapshot().state).toBe("printing");
    const printing = await job();
    expect(printing.state).toBe("Printing");
    expect(printing.job.user).toBe("otto");
    expect(printing.progress.completion).toBe(0);
    expect((await command({ command: "start" })).status).toBe(409);
    expect((await command({ command: "restart" })).status).toBe(409);
    expect((await command({ command: "pause" })).status).toBe(204); // bare pause toggles
    expect(h.engine.snapshot().state).toBe("paused");
    expect((await job()).state).toBe("Paused");
    expect((await command({ command: "pause", action: "pause" })).status).toBe(204); // already paused
    expect((await command({ command: "pause", action: "resume" })).status).toBe(204);
    expect(h.engine.snapshot().state).toBe("printing");
    expect((await command({ command: "pause", action: "resume" })).status).toBe(204); // already printing
    expect((await command({ command: "pause", action: "toggle" })).status).toBe(204);
    expect((await command({ command: "restart" })).status).toBe(204);
    await expect.poll(() => h.engine.snapshot().state).toBe("printing");
    expect((await command({ command: "pause", action: "sideways" })).status).toBe(400);
    expect((await command({ command: "explode" })).status).toBe(400);
    expect((await command({ command: "cancel" })).status).toBe(204);
    expect(h.engine.snapshot().state).toBe("idle");
    expect((await job()).job.file.name).toBe("x.gcode"); // stays selected
  });

  it("reports progress in percent and seconds", async () => {
    await h.engine.print("x.gcode", { user: "otto" });
    const snap = h.engine.snapshot();
    h.engine.snap = {
      ...snap,
      job: {
        file: "x.gcode",
        pausedBy: null,
        progress: {
          file: "x.gcode",
          jobId: 1,
          bytes: 50,
          totalBytes: 200,
          fraction: 0.25,
          lines: 3,
          layer: 1,
          layers: 1,
          z: 0.2,
          elapsedSeconds: 61.4,
          printingSeconds: 60,
          eta: { remainingSeconds: 180.6, plusMinusSeconds: 30, paceFactor: null },
        },
      },
    };
    expect((await job()).progress).toEqual({
      completion: 25,
      filepos: 50,
      printTime: 61,
      printTimeLeft: 181,
      printTimeLeftOrigin: "estimate",
    });
  });
});
