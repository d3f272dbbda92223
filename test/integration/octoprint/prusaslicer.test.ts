import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUBE } from "../../helpers/fixtures.ts";
import type { OctoJob, OctoUpload } from "../../helpers/octoprint-shapes.ts";
import { apiKeyFor, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { until } from "../../helpers/until.ts";
import { PRUSASLICER, ReplayClient } from "./replay-client.ts";

/**
 * PrusaSlicer's "OctoPrint" print host (src/slic3r/Utils/OctoPrint.cpp), as it runs "Upload and
 * print": the connection test `GET api/version` (needs `api`; `text` must start with "OctoPrint"),
 * repeated before the upload, then `POST api/files/local` with libcurl form parts `print`, `path`,
 * `file`, in that order. Any non-2xx is an error whose body PrusaSlicer shows. OrcaSlicer and
 * SuperSlicer send the same.
 */

const NAME = "cube20_mk3s_0.20mm_prusaslicer-2.5.0.gcode";

let t: TestDaemon;
let slicer: ReplayClient;

beforeAll(async () => {
  // The engine in its worker thread, as the daemon runs it by default.
  t = await startTestDaemon({ simSpeed: 50, engine: "worker" });
  slicer = new ReplayClient(t.url, PRUSASLICER, await apiKeyFor(t, "prusa", "operator"));
});

afterAll(async () => {
  await t?.stop();
});

/** PrusaSlicer's test(): the checks it makes on the answer. */
async function connectionTest(client: ReplayClient): Promise<void> {
  const res = await client.get<{ api?: string; text?: string }>("/api/version");
  expect(res.status).toBe(200);
  expect(res.body.api).toBe("0.1");
  expect(res.body.text?.startsWith("OctoPrint")).toBe(true);
}

describe("PrusaSlicer", () => {
  it("passes the connection test with its API key, and fails it without one", async () => {
    await connectionTest(slicer);
    const wrong = await new ReplayClient(t.url, PRUSASLICER, "not-the-key").get("/api/version");
    expect(wrong.status).toBe(401);
    expect(JSON.stringify(wrong.body)).toMatch(/API key/);
  });

  it("uploads with print=true and the print starts", async () => {
    const content = readFileSync(CUBE);
    await connectionTest(slicer);
    const res = await slicer.postCurlForm<OctoUpload>("/api/files/local", [
      { name: "print", value: "true" },
      { name: "path", value: "" },
      { name: "file", filename: NAME, content },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.headers.location).toBe(`${t.url}/api/files/local/${NAME}`);
    expect(res.body).toMatchObject({
      files: { local: { name: NAME, path: NAME, origin: "local" } },
      done: true,
      effectiveSelect: true,
      effectivePrint: true,
    });

    const job = await until(
      async () => (await t.admin.get<OctoJob>("/api/job")).body,
      (j) => j.state === "Printing",
      "the uploaded file prints",
    );
    expect(job.job.file).toMatchObject({ name: NAME, path: NAME, origin: "local", size: content.length });
    expect(job.job.user).toBe("prusa");
    expect(job.job.estimatedPrintTime).toBeGreaterThan(1000);
    const snapshot = t.parts.engine.snapshot();
    expect(snapshot.state).toBe("printing");
    expect(snapshot.job?.file).toBe(NAME);
    const stored = await t.parts.files.get(NAME);
    expect(stored.size).toBe(content.length);
  });

  it("gets a 409 with a readable body when it uploads over the printing file", async () => {
    const res = await slicer.postCurlForm<{ error: { message: string } }>("/api/files/local", [
      { name: "print", value: "true" },
      { name: "path", value: "" },
      { name: "file", filename: NAME, content: readFileSync(CUBE) },
    ]);
    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(/printing/);
    expect(t.parts.engine.snapshot().job?.file).toBe(NAME);
  });

  it("uploads into a folder without printing while the printer is busy (print dropped, not refused)", async () => {
    const res = await slicer.postCurlForm<OctoUpload>("/api/files/local", [
      { name: "print", value: "true" },
      { name: "path", value: "prusa/parts" },
      { name: "file", filename: "second.gcode", content: readFileSync(CUBE) },
    ]);
    expect(res.status).toBe(201);
    expect(res.body.files.local.path).toBe("prusa/parts/second.gcode");
    expect(res.body).toMatchObject({ effectiveSelect: false, effectivePrint: false });
    expect(t.parts.engine.snapshot().job?.file).toBe(NAME);
  });
});
