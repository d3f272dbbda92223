import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  EventDto,
  HistoryJobDto,
  HistoryJobResponse,
  JobActionAccepted,
  JobResponse,
  Page,
  StartedJobResponse,
} from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { CUBE } from "../../helpers/fixtures.ts";
import { addUser, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { upload, waitForAnalysis, waitForPrinter, waitForState } from "./v1-helpers.ts";

/**
 * A real slicer file through the whole API: uploaded as multipart, printed on the simulated Marlin,
 * paused, resumed and cancelled, with what each state refuses, then found in the history.
 */

let t: TestDaemon;
let viewer: ApiClient;
let operator: ApiClient;
let jobId = 0;

beforeAll(async () => {
  t = await startTestDaemon({ simSpeed: 20, engine: "worker" });
  viewer = await addUser(t, "vera", "viewer");
  operator = await addUser(t, "otto", "operator");
  await waitForState(t.admin, "idle");
  expect((await upload(operator, "cube.gcode", readFileSync(CUBE))).status).toBe(201);
  await waitForAnalysis(operator, "cube.gcode");
});

afterAll(async () => {
  await t?.stop();
});

async function action(name: string): Promise<JobActionAccepted> {
  const res = await operator.post<JobActionAccepted>(`/api/v1/job/${name}`);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  expect(res.body.action).toBe(name);
  return res.body;
}

async function refused(path: string, body?: unknown, code = "INVALID_STATE"): Promise<void> {
  const res = await operator.post(path, body);
  expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(409);
  expect(res.body).toMatchObject({ error: { code } });
}

describe("a print through the API", () => {
  it("refuses to start for a viewer, for a missing file and for bad input", async () => {
    expect((await viewer.post("/api/v1/job/start", { file: "cube.gcode" })).status).toBe(403);
    expect((await operator.post("/api/v1/job/start", { file: "none.gcode" })).status).toBe(404);
    expect((await operator.post("/api/v1/job/start", { path: "cube.gcode" })).status).toBe(400);
    expect((await operator.post("/api/v1/job/start", { file: "../cube.gcode" })).status).toBe(400);
    await refused("/api/v1/job/pause");
    await refused("/api/v1/job/cancel");
  });

  it("starts: 201 with the history id, progress with an ETA", async () => {
    const res = await operator.post<StartedJobResponse>("/api/v1/job/start", { file: "cube.gcode" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    jobId = res.body.jobId;
    expect(res.headers.get("location")).toBe(`/api/v1/history/jobs/${jobId}`);
    const state = await waitForPrinter(
      viewer,
      (s) => (s.job?.progress?.lines ?? 0) > 0,
      "progress reported",
      60_000,
    );
    expect(state.state).toBe("printing");
    expect(state.job).toMatchObject({
      file: "cube.gcode",
      pausedBy: null,
      progress: {
        jobId,
        layers: 100,
        percent: expect.any(Number),
        eta: { remainingSeconds: expect.any(Number) },
      },
    });
    const job = await viewer.get<JobResponse>("/api/v1/job");
    expect(job.body).toMatchObject({ state: "printing", job: { file: "cube.gcode" } });
  });

  it("while printing: heaters and fan are allowed; motion, a second print, disconnect and the file are not", async () => {
    expect((await operator.post("/api/v1/printer/fan", { speed: 100 })).status).toBe(202);
    expect((await operator.post("/api/v1/printer/targets", { bed: 60 })).status).toBe(202);
    await refused("/api/v1/printer/jog", { x: 1 });
    await refused("/api/v1/printer/home", {});
    await refused("/api/v1/printer/motors-off");
    await refused("/api/v1/job/start", { file: "cube.gcode" });
    await refused("/api/v1/job/resume");
    await refused("/api/v1/connection/disconnect");
    const del = await operator.request("DELETE", "/api/v1/files/cube.gcode");
    expect(del.status).toBe(409);
    expect(del.body).toMatchObject({ error: { code: "BUSY" } });
    await refused("/api/v1/files/move", { from: "cube.gcode", to: "moved.gcode" }, "BUSY");
    const replace = await upload(operator, "cube.gcode", "G28\n", { overwrite: "true" });
    expect(replace.status).toBe(409);
    const listed = await viewer.get<{ printing: boolean }>("/api/v1/files/cube.gcode");
    expect(listed.body.printing).toBe(true);
  });

  it("pauses (202, then paused by the user), jogs while paused, resumes", async () => {
    await action("pause");
    const paused = await waitForState(viewer, "paused", 60_000);
    expect(paused.job?.pausedBy).toBe("user");
    await refused("/api/v1/job/pause");
    await refused("/api/v1/printer/home", {});
    expect((await operator.post("/api/v1/printer/jog", { z: 1 })).status).toBe(202);
    await action("resume");
    await waitForState(viewer, "printing", 60_000);
  });

  it("cancels (202, then idle with heaters off)", async () => {
    await action("cancel");
    await waitForPrinter(viewer, (s) => s.state === "idle" && s.job === null, "idle, no job", 60_000);
    await waitForPrinter(
      viewer,
      (s) => s.temperatures.T0?.target === 0 && s.temperatures.B?.target === 0,
      "heaters off",
    );
    expect((await viewer.get<JobResponse>("/api/v1/job")).body).toEqual({ state: "idle", job: null });
    await refused("/api/v1/job/cancel");
  });
});

describe("history", () => {
  it("lists the cancelled job with who started and who cancelled it", async () => {
    const res = await viewer.get<Page<HistoryJobDto>>("/api/v1/history/jobs");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 1, limit: 50, offset: 0 });
    expect(res.body.items[0]).toMatchObject({
      id: jobId,
      file: "cube.gcode",
      user: "otto",
      result: "cancelled",
      status: "cancelled",
      reason: "cancelled by otto",
      startLayer: 1,
      durationMs: expect.any(Number),
    });
    const done = await viewer.get<Page<HistoryJobDto>>("/api/v1/history/jobs?result=done");
    expect(done.body).toMatchObject({ items: [], total: 0 });
    expect((await viewer.get("/api/v1/history/jobs?limit=0")).status).toBe(400);
    expect((await viewer.get("/api/v1/history/jobs?result=won")).status).toBe(400);
  });

  it("shows one job with its temperature samples and events", async () => {
    const res = await viewer.get<HistoryJobResponse>(`/api/v1/history/jobs/${jobId}`);
    expect(res.status).toBe(200);
    expect(res.body.job.id).toBe(jobId);
    expect(res.body.temperatures.length).toBeGreaterThan(0);
    expect(res.body.temperatures[0]).toMatchObject({ at: expect.any(Number), heater: expect.any(String) });
    expect(res.body.events.length).toBeGreaterThan(0);
    expect((await viewer.get("/api/v1/history/jobs/987654")).status).toBe(404);
    expect((await viewer.get("/api/v1/history/jobs/abc")).status).toBe(400);
  });

  it("pages the event log, newest first", async () => {
    const all = await viewer.get<Page<EventDto>>("/api/v1/history/events?limit=500");
    expect(all.status).toBe(200);
    expect(all.body.total).toBeGreaterThan(1);
    const ats = all.body.items.map((e) => e.at);
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    const second = await viewer.get<Page<EventDto>>("/api/v1/history/events?limit=1&offset=1");
    expect(second.body.items).toEqual([all.body.items[1]]);
    const jobs = await viewer.get<Page<EventDto>>("/api/v1/history/events?kind=job");
    expect(jobs.body.items.every((e) => e.kind === "job")).toBe(true);
    expect((await viewer.get("/api/v1/history/events?kind=JOB;drop")).status).toBe(400);
  });

  it("deletes a job record for an admin only", async () => {
    expect((await operator.request("DELETE", `/api/v1/history/jobs/${jobId}`)).status).toBe(403);
    expect((await t.admin.request("DELETE", `/api/v1/history/jobs/${jobId}`)).status).toBe(204);
    expect((await viewer.get(`/api/v1/history/jobs/${jobId}`)).status).toBe(404);
    expect((await t.admin.request("DELETE", `/api/v1/history/jobs/${jobId}`)).status).toBe(404);
  });
});

describe("emergency stop", () => {
  it("halts a running print at once; the printer must be connected again", async () => {
    expect((await operator.post("/api/v1/job/start", { file: "cube.gcode" })).status).toBe(201);
    await waitForState(viewer, "printing");
    expect((await viewer.post("/api/v1/job/emergency-stop")).status).toBe(403);
    expect((await operator.post("/api/v1/job/emergency-stop")).status).toBe(204);
    await waitForState(viewer, "error");
    expect((await operator.post("/api/v1/connection/connect", {})).status).toBe(202);
    await waitForState(viewer, "idle");
  });
});
