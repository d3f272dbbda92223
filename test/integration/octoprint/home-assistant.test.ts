import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PendingAppKeysResponse } from "../../../server/api/contract.ts";
import { CUBE } from "../../helpers/fixtures.ts";
import type { OctoConnection, OctoJob, OctoPrinter, OctoSettings } from "../../helpers/octoprint-shapes.ts";
import { startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { until } from "../../helpers/until.ts";
import { AIOHTTP, HOME_ASSISTANT, ReplayClient } from "./replay-client.ts";

/**
 * Home Assistant's OctoPrint integration (homeassistant/components/octoprint with pyoctoprintapi).
 * Config flow: `GET plugin/appkeys/probe` (204), `POST plugin/appkeys/request {"app":"Home
 * Assistant","user":<name>}` (201, the token is the end of `Location`), then `GET
 * plugin/appkeys/request/<token>` every second until `api_key`; then `GET api/settings` for
 * `plugins.discovery.upnpUuid` (the entry's unique id). The coordinator polls `GET api/printer`
 * (409 → printer offline; `temperature`, `state.text`, `state.flags`) and `GET api/job`
 * (`state`, `progress.completion`, `printTime`, `printTimeLeft`), and reads `api/server` and
 * `api/connection`. Buttons: `POST api/job {"command":"pause","action":"pause"|"resume"}` and
 * `{"command":"cancel"}`, expecting 204; `POST api/system/commands/core/<action>`.
 */

let t: TestDaemon;
let ha: ReplayClient;

beforeAll(async () => {
  t = await startTestDaemon({ simSpeed: 50 });
});

afterAll(async () => {
  await t?.stop();
});

async function job(): Promise<OctoJob> {
  const res = await ha.get<OctoJob>("/api/job");
  expect(res.status).toBe(200);
  return res.body;
}

describe("Home Assistant", () => {
  it("gets its key through the app-keys flow, approved by the admin in the dashboard", async () => {
    const admin = (await t.admin.get<{ name: string }>("/api/currentuser")).body.name;
    const flow = new ReplayClient(t.url, AIOHTTP);
    expect((await flow.get("/plugin/appkeys/probe")).status).toBe(204);
    const started = await flow.postJson<{ app_token: string }>("/plugin/appkeys/request", {
      app: "Home Assistant",
      user: admin,
    });
    expect(started.status).toBe(201);
    const location = String(started.headers.location);
    const token = location.slice(location.lastIndexOf("/") + 1);
    expect(token).toBe(started.body.app_token);

    let key: string | null = null;
    for (let second = 0; second < 30 && key === null; second++) {
      const status = await flow.get<{ api_key?: string; message?: string }>(
        `/plugin/appkeys/request/${token}`,
      );
      expect([200, 202]).toContain(status.status);
      if (status.body.api_key !== undefined) key = status.body.api_key;
      else if (second === 1) {
        // The admin, signed in to the dashboard, approves the request.
        const pending = await t.admin.get<PendingAppKeysResponse>("/api/v1/appkeys/pending");
        const id = pending.body.pending.find((p) => p.app === "Home Assistant")?.id;
        expect((await t.admin.post(`/api/v1/appkeys/pending/${id}/approve`)).status).toBe(204);
      }
      if (key === null) await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(key).not.toBeNull();
    ha = new ReplayClient(t.url, HOME_ASSISTANT, key);
    const settings = await ha.get<OctoSettings>("/api/settings");
    expect(settings.status).toBe(200);
    expect(settings.body.plugins.discovery.upnpUuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(settings.body.plugins.tracking.unique_id).toBe(settings.body.plugins.discovery.upnpUuid);
  });

  it("polls printer, job, server and connection while idle", async () => {
    const printer = await ha.get<OctoPrinter>("/api/printer");
    expect(printer.status).toBe(200);
    expect(printer.body.state.text).toBe("Operational");
    expect(printer.body.state.flags).toMatchObject({ operational: true, ready: true, printing: false });
    expect(printer.body.temperature.tool0).toMatchObject({
      actual: expect.any(Number),
      target: expect.any(Number),
    });
    expect("bed" in printer.body.temperature).toBe(true);
    const idle = await job();
    expect(idle.state).toBe("Operational");
    expect(idle.progress).toMatchObject({ completion: null, printTime: null, printTimeLeft: null });
    const server = await ha.get<{ version: string; safemode: unknown }>("/api/server");
    expect(server.body).toEqual({ version: expect.any(String), safemode: null });
    const connection = await ha.get<OctoConnection>("/api/connection");
    expect(connection.body.current).toMatchObject({ state: "Operational", port: "virtual" });
  });

  it("pauses, resumes and cancels a print with its buttons", async () => {
    const form = new FormData();
    form.append("print", "true");
    form.append("file", new Blob([readFileSync(CUBE)]), "ha.gcode");
    expect((await t.admin.request("POST", "/api/files/local", { body: form })).status).toBe(201);
    const printing = await until(job, (j) => j.state === "Printing", "the print runs");
    expect(printing.job.file.name).toBe("ha.gcode");
    expect(printing.progress.completion).toEqual(expect.any(Number));

    expect((await ha.postJson("/api/job", { command: "pause", action: "pause" })).status).toBe(204);
    await until(job, (j) => j.state === "Paused", "paused");
    const paused = (await ha.get<OctoPrinter>("/api/printer")).body;
    expect(paused.state.flags).toMatchObject({ paused: true, printing: false });
    expect((await ha.postJson("/api/job", { command: "pause", action: "resume" })).status).toBe(204);
    await until(job, (j) => j.state === "Printing", "printing again");
    expect((await ha.postJson("/api/job", { command: "cancel" })).status).toBe(204);
    await until(job, (j) => j.state === "Operational", "cancelled");
    expect(t.parts.engine.snapshot().state).toBe("idle");
  });

  it("gets 409 from api/printer when the printer is offline, and a clear refusal for system commands", async () => {
    await t.parts.engine.disconnect();
    expect((await ha.get("/api/printer")).status).toBe(409);
    expect((await job()).state).toBe("Offline");
    expect((await ha.get<OctoConnection>("/api/connection")).body.current.state).toBe("Offline");
    const restart = await ha.post<{ error: { message: string } }>("/api/system/commands/core/restart");
    expect(restart.status).toBe(400);
    expect(restart.body.error.message).toMatch(/does not restart/);
  });
});
