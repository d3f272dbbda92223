import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CUBE } from "../../helpers/fixtures.ts";
import type {
  OctoJob,
  OctoLogin,
  OctoPrinter,
  OctoProfile,
  OctoSettings,
  OctoUpload,
} from "../../helpers/octoprint-shapes.ts";
import { apiKeyFor, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { until } from "../../helpers/until.ts";
import { CURA, ReplayClient, type Replayed } from "./replay-client.ts";

/**
 * Cura's OctoPrint plugin (fieldOfView/Cura-OctoPrintPlugin, OctoPrintOutputDevice.py): on connect
 * `GET api/settings` (webcam stream URL, `feature.sdSupport`), `GET api/version` (`server`),
 * `POST api/login {"passive":true}` (`name`), `GET api/printerprofiles`; then every 2 s
 * `GET api/printer` (tool count from `temperature.toolN`, state from `state.flags`; 409 = printer not
 * operational) and `GET api/job` (`state` text, `progress.completion` in %, `progress.printTime`,
 * `job.file.name`). "Print" uploads with Qt multipart parts `select`, `print`, `file`; pause and
 * resume both send `{"command":"pause"}` (a toggle), cancel `{"command":"cancel"}`; connect
 * `{"command":"connect"}`. Every request carries `X-Api-Key`, Cura's User-Agent and
 * `Content-Type: application/json`.
 */

let t: TestDaemon;
let cura: ReplayClient;

beforeAll(async () => {
  t = await startTestDaemon({ simSpeed: 50 });
  cura = new ReplayClient(t.url, CURA, await apiKeyFor(t, "cura", "operator"));
});

afterAll(async () => {
  await t?.stop();
});

/** Cura's `_createEmptyRequest`: a JSON content type on every request, GETs included. */
function curaGet<T>(path: string): Promise<Replayed<T>> {
  return cura.send<T>("GET", path, { "content-type": "application/json" }, null);
}

/** One round of Cura's 2 s poll, read the way `_onRequestFinished` reads it. */
async function poll(): Promise<{
  printer: string;
  job: string | null;
  extruders: number;
  completion: number | null;
}> {
  const printer = await curaGet<OctoPrinter>("/api/printer");
  let state = "offline";
  let extruders = 0;
  if (printer.status === 200) {
    while (`tool${extruders}` in printer.body.temperature) extruders++;
    const f = printer.body.state.flags;
    if (f.error || f.closedOrError) state = "error";
    else if (f.paused || f.pausing) state = "paused";
    else if (f.printing) state = "printing";
    else if (f.cancelling) state = "aborted";
    else if (f.ready || f.operational) state = "idle";
  } else {
    expect(printer.status).toBe(409); // "not operational", never a 401/5xx
  }
  const job = await curaGet<OctoJob>("/api/job");
  expect(job.status).toBe(200);
  expect(job.body.job.file).toHaveProperty("name");
  expect(job.body.progress).toHaveProperty("printTime");
  expect(job.body.progress).toHaveProperty("completion");
  return { printer: state, job: job.body.state, extruders, completion: job.body.progress.completion };
}

describe("Cura OctoPrint plugin", () => {
  it("connects: settings, version, passive login, printer profiles", async () => {
    const settings = await curaGet<OctoSettings>("/api/settings");
    expect(settings.status).toBe(200);
    expect(settings.body.feature.sdSupport).toBe(false);
    expect(settings.body.webcam.streamUrl.startsWith("http")).toBe(true);
    const version = await curaGet<{ server: string }>("/api/version");
    expect(version.body.server).toMatch(/^\d+\.\d+/);
    const login = await cura.postJson<OctoLogin>("/api/login", { passive: true });
    expect(login.status).toBe(200);
    expect(login.body.name).toBe("cura");
    const profiles = await curaGet<{ profiles: Record<string, OctoProfile> }>("/api/printerprofiles");
    const current = Object.values(profiles.body.profiles).find((p) => p.current);
    expect(current?.model).toBeTruthy();
    expect(current?.axes.x).toMatchObject({ speed: expect.any(Number), inverted: false });
  });

  it("polls printer and job every 2 s while idle", async () => {
    for (let round = 0; round < 2; round++) {
      if (round > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
      const seen = await poll();
      expect(seen).toMatchObject({ printer: "idle", job: "Operational", extruders: 1, completion: null });
    }
  });

  it("prints with select and print, pauses and resumes with the pause toggle, cancels", async () => {
    const res = await cura.postQtForm<OctoUpload>("/api/files/local", [
      { name: "select", value: "true" },
      { name: "print", value: "true" },
      { name: "file", filename: "cura_cube.gcode", content: readFileSync(CUBE) },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ effectiveSelect: true, effectivePrint: true });
    const printing = await until(
      poll,
      (p) => p.printer === "printing" && p.job === "Printing",
      "Cura sees printing",
    );
    expect(printing.completion).not.toBeNull();
    const job = (await curaGet<OctoJob>("/api/job")).body;
    expect(job.job.file.name).toBe("cura_cube.gcode");

    expect((await cura.postJson("/api/job", { command: "pause" })).status).toBe(204);
    await until(poll, (p) => p.printer === "paused" && p.job === "Paused", "Cura sees paused");
    // resumePrint(): the job is paused, so Cura sends "pause" again.
    expect((await cura.postJson("/api/job", { command: "pause" })).status).toBe(204);
    await until(poll, (p) => p.printer === "printing" && p.job === "Printing", "Cura sees printing again");

    expect((await cura.postJson("/api/job", { command: "cancel" })).status).toBe(204);
    await until(poll, (p) => p.printer === "idle" && p.job === "Operational", "Cura sees the printer idle");
    expect(t.parts.engine.snapshot().job).toBeNull();
    expect((await cura.postJson("/api/job", { command: "cancel" })).status).toBe(409);
  });

  it("reads 409 as 'printer not operational' and reconnects with connect", async () => {
    await t.parts.engine.disconnect();
    const seen = await poll();
    expect(seen).toMatchObject({ printer: "offline", job: "Offline" });
    expect((await cura.postJson("/api/connection", { command: "connect" })).status).toBe(204);
    await until(poll, (p) => p.printer === "idle", "the printer is back", 30_000);
  });
});
