import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SessionResponse } from "../../../../server/api/contract.ts";
import { ApiClient } from "../../../helpers/api-client.ts";
import type {
  OctoConnection,
  OctoHistory,
  OctoLogin,
  OctoPrinter,
  OctoProfile,
  OctoSettings,
} from "../../../helpers/octoprint-shapes.ts";
import { type OctoHarness, PASSWORD, startOctoHarness } from "./octo-harness.ts";

let h: OctoHarness;
let client: ApiClient;
let admin: string;
let operator: string;
let viewer: string;

beforeAll(async () => {
  h = await startOctoHarness();
  client = new ApiClient(h.url);
  admin = await h.keyFor("ada", "admin");
  operator = await h.keyFor("otto", "operator");
  viewer = await h.keyFor("vera", "viewer");
});
afterAll(async () => {
  await h.stop();
});

describe("server information", () => {
  it("answers /api/version as PrusaSlicer requires: api, and text starting with OctoPrint", async () => {
    const res = await client.get("/api/version", { apiKey: viewer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ api: "0.1", server: "0.1.0-test", text: "OctoPrint (Layerwatch 0.1.0-test)" });
  });

  it("refuses every compat route without credentials (401) and a viewer's control (403)", async () => {
    expect((await client.get("/api/version")).status).toBe(401);
    expect((await client.get("/api/printer")).status).toBe(401);
    expect((await client.post("/api/job", { command: "start" }, { origin: null })).status).toBe(401);
    expect((await client.post("/api/job", { command: "start" }, { apiKey: viewer })).status).toBe(403);
    expect((await client.post("/api/printer/command", { command: "G28" }, { apiKey: viewer })).status).toBe(
      403,
    );
    expect((await client.get("/api/version", { apiKey: "not-a-key" })).status).toBe(401);
  });

  it("serves settings with the camera URLs, no SD card, and a stable install id from the data directory", async () => {
    const res = await client.get<OctoSettings>("/api/settings", { apiKey: viewer });
    expect(res.status).toBe(200);
    expect(res.body.feature.sdSupport).toBe(false);
    expect(res.body.webcam.streamUrl).toBe(`${h.url}/api/v1/camera/stream`);
    expect(res.body.webcam.snapshotUrl).toBe(`${h.url}/api/v1/camera/snapshot`);
    const id = res.body.plugins.discovery.upnpUuid as string;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.plugins.tracking.unique_id).toBe(id);
    expect((await readFile(join(h.dataDir, "install-id"), "utf8")).trim()).toBe(id);
    const again = await client.get<OctoSettings>("/api/settings", { apiKey: admin });
    expect(again.body.plugins.discovery.upnpUuid).toBe(id);
    expect(res.body.temperature.profiles.length).toBeGreaterThan(0);
  });

  it("answers /api/server and /api/currentuser; /api/timelapse says there is no camera in this harness", async () => {
    expect((await client.get("/api/server", { apiKey: viewer })).body).toEqual({
      version: "0.1.0-test",
      safemode: null,
    });
    const me = await client.get<{ name: string; groups: string[]; permissions: string[] }>(
      "/api/currentuser",
      {
        apiKey: operator,
      },
    );
    expect(me.body.name).toBe("otto");
    expect(me.body.groups).toEqual(["users"]);
    expect(me.body.permissions).toContain("PRINT");
    expect(me.body.permissions).not.toContain("ADMIN");
    const lapse = await client.get("/api/timelapse", { apiKey: viewer });
    expect(lapse.status).toBe(502);
    expect(lapse.body).toEqual({ error: { code: "CAMERA", message: "this daemon has no camera" } });
  });

  it("refuses system commands clearly: admin only, 400 for the core actions, 404 otherwise", async () => {
    const post = (path: string, key: string) => client.request("POST", path, { apiKey: key });
    expect((await post("/api/system/commands/core/reboot", operator)).status).toBe(403);
    const reboot = await post("/api/system/commands/core/reboot", admin);
    expect(reboot.status).toBe(400);
    expect(JSON.stringify(reboot.body)).toMatch(/does not reboot/);
    expect((await post("/api/system/commands/custom/anything", admin)).status).toBe(404);
    expect((await client.get("/api/system/commands", { apiKey: viewer })).body).toEqual({
      core: [],
      custom: [],
    });
  });
});

describe("login", () => {
  it("answers a passive login with an API key with the user record", async () => {
    const res = await client.post<OctoLogin>("/api/login", { passive: true }, { apiKey: operator });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: "otto", _login_mechanism: "apikey", groups: ["users"] });
  });

  it("logs in with user and pass (session cookie) and refuses a wrong password with 403", async () => {
    const browser = new ApiClient(h.url);
    const ok = await browser.post<OctoLogin>("/api/login", { user: "ada", pass: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: "ada", admin: true, _login_mechanism: "password" });
    expect(browser.cookieHeader).toMatch(/layerwatch_session=/);
    expect((await browser.get("/api/currentuser")).status).toBe(200);
    const wrong = await new ApiClient(h.url).post("/api/login", { user: "ada", pass: "wrong password!" });
    expect(wrong.status).toBe(403);
    expect((await new ApiClient(h.url).post("/api/login", { passive: true })).status).toBe(403);
    expect((await new ApiClient(h.url).post("/api/login", {})).status).toBe(400);
  });

  it("logs out: the session ends and its cookie is cleared", async () => {
    const browser = new ApiClient(h.url);
    expect((await browser.post("/api/login", { user: "ada", pass: PASSWORD })).status).toBe(200);
    const session = browser.cookieHeader;
    // A cookie session's state-changing requests carry its CSRF token, from the own session route.
    browser.csrfToken = (await browser.get<SessionResponse>("/api/v1/auth/session")).body.csrfToken;
    expect((await browser.post("/api/logout")).status).toBe(204);
    expect(browser.cookieHeader).toBeUndefined();
    const stale = await new ApiClient(h.url).get("/api/currentuser", { headers: { cookie: session ?? "" } });
    expect(stale.status).toBe(401);
  });
});

describe("printer state", () => {
  it("is 409 while the printer is not operational (Cura and Home Assistant read it as offline)", async () => {
    h.engine.setState("disconnected");
    const res = await client.get("/api/printer", { apiKey: viewer });
    expect(res.status).toBe(409);
    const connection = await client.get<OctoConnection>("/api/connection", { apiKey: viewer });
    expect(connection.body.current.state).toBe("Offline");
  });

  it("reports temperatures as tool0/bed and the state flags once connected", async () => {
    h.engine.connected();
    const res = await client.get<OctoPrinter>("/api/printer", { apiKey: viewer });
    expect(res.status).toBe(200);
    expect(res.body.temperature).toEqual({
      tool0: { actual: 24.5, target: 0, offset: 0 },
      bed: { actual: 23.9, target: 0, offset: 0 },
    });
    expect(res.body.sd).toEqual({ ready: false });
    expect(res.body.state.text).toBe("Operational");
    expect(res.body.state.flags).toMatchObject({
      operational: true,
      ready: true,
      printing: false,
      error: false,
    });
    const some = await client.get<Partial<OctoPrinter>>("/api/printer?exclude=temperature,sd", {
      apiKey: viewer,
    });
    expect(Object.keys(some.body)).toEqual(["state"]);
  });

  it("adds the temperature history from the database", async () => {
    const now = Date.now();
    h.history.recordTemperatures(
      { T0: { actual: 200, target: 210 }, B: { actual: 60, target: 60 } },
      now - 2000,
    );
    h.history.recordTemperatures(
      { T0: { actual: 205, target: 210 }, B: { actual: 60, target: 60 } },
      now - 1000,
    );
    h.history.flushTemperatures();
    const res = await client.get<OctoPrinter & { temperature: OctoHistory }>(
      "/api/printer?history=true&limit=1",
      {
        apiKey: viewer,
      },
    );
    expect(res.body.temperature.history).toEqual([
      {
        time: Math.floor((now - 1000) / 1000),
        tool0: { actual: 205, target: 210 },
        bed: { actual: 60, target: 60 },
      },
    ]);
    const bed = await client.get<OctoPrinter["temperature"]>("/api/printer/bed", { apiKey: viewer });
    expect(bed.body).toEqual({ bed: { actual: 23.9, target: 0, offset: 0 } });
  });

  it("lists the connection and the one printer profile", async () => {
    const connection = await client.get<OctoConnection>("/api/connection", { apiKey: viewer });
    expect(connection.body.current).toEqual({
      state: "Operational",
      port: "virtual",
      baudrate: 250000,
      printerProfile: "_default",
    });
    expect(connection.body.options.ports).toContain("virtual");
    const profiles = await client.get<{ profiles: Record<string, OctoProfile> }>("/api/printerprofiles", {
      apiKey: viewer,
    });
    expect(profiles.body.profiles._default).toMatchObject({ id: "_default", current: true, heatedBed: true });
    expect(profiles.body.profiles._default?.extruder.count).toBe(1);
    expect(profiles.body.profiles._default?.axes.x.speed).toBeGreaterThan(0);
  });

  it("disconnects and reconnects to the last port", async () => {
    const post = (json: unknown) => client.post("/api/connection", json, { apiKey: operator });
    expect((await post({ command: "disconnect" })).status).toBe(204);
    expect(h.engine.snapshot().state).toBe("disconnected");
    expect((await post({ command: "connect", port: "/dev/nothing" })).status).toBe(400);
    expect((await post({ command: "connect", baudrate: 1234 })).status).toBe(400);
    expect((await post({ command: "connect" })).status).toBe(204);
    expect(h.engine.calls.at(-1)).toBe("connect virtual");
    expect(h.engine.snapshot().state).toBe("idle");
    expect((await post({ command: "fake_ack" })).status).toBe(400);
  });
});

describe("printer commands", () => {
  const post = (path: string, json: unknown) => client.post(path, json, { apiKey: operator });
  const sentBy = async (path: string, json: unknown) => {
    const before = h.engine.sent.length;
    const res = await post(path, json);
    expect(res.status, JSON.stringify(res.body)).toBe(204);
    return h.engine.sent.slice(before);
  };

  it("sends G-code lines, one per entry, refusing framing and multi-line strings", async () => {
    expect(await sentBy("/api/printer/command", { commands: ["M105", "G28 X"] })).toEqual(["M105", "G28 X"]);
    expect(await sentBy("/api/printer/command", { command: "M115" })).toEqual(["M115"]);
    expect((await post("/api/printer/command", { command: "G28\nM112" })).status).toBe(400);
    expect((await post("/api/printer/command", { commands: [] })).status).toBe(400);
    expect((await post("/api/printer/command", { script: "beforePrintStarted" })).status).toBe(400);
  });

  it("jogs relative and absolute, homes, and sets the feed rate factor", async () => {
    expect(await sentBy("/api/printer/printhead", { command: "jog", x: 10, y: -5 })).toEqual([
      "G91",
      "G1 X10 Y-5 F6000",
      "G90",
    ]);
    expect(await sentBy("/api/printer/printhead", { command: "jog", z: 2, speed: 300 })).toEqual([
      "G91",
      "G1 Z2 F300",
      "G90",
    ]);
    expect(await sentBy("/api/printer/printhead", { command: "jog", x: 100, absolute: true })).toEqual([
      "G90",
      "G1 X100 F6000",
    ]);
    expect(await sentBy("/api/printer/printhead", { command: "home", axes: ["x", "y"] })).toEqual([
      "G28 X Y",
    ]);
    expect(await sentBy("/api/printer/printhead", { command: "feedrate", factor: 0.5 })).toEqual([
      "M220 S50",
    ]);
    expect((await post("/api/printer/printhead", { command: "feedrate", factor: 500 })).status).toBe(400);
    expect((await post("/api/printer/printhead", { command: "spin" })).status).toBe(400);
  });

  it("sets nozzle and bed targets, extrudes, sets the flow factor; refuses offsets and unknown tools", async () => {
    expect(await sentBy("/api/printer/tool", { command: "target", targets: { tool0: 210 } })).toEqual([
      "M104 T0 S210",
    ]);
    expect(await sentBy("/api/printer/bed", { command: "target", target: 60 })).toEqual(["M140 S60"]);
    expect(await sentBy("/api/printer/tool", { command: "extrude", amount: 5 })).toEqual([
      "M83",
      "G1 E5 F300",
    ]);
    expect(await sentBy("/api/printer/tool", { command: "flowrate", factor: 110 })).toEqual(["M221 S110"]);
    expect(await sentBy("/api/printer/tool", { command: "offset", offsets: { tool0: 0 } })).toEqual([]);
    expect((await post("/api/printer/tool", { command: "offset", offsets: { tool0: 5 } })).status).toBe(400);
    expect((await post("/api/printer/tool", { command: "target", targets: { tool3: 200 } })).status).toBe(
      400,
    );
    expect((await post("/api/printer/tool", { command: "target", targets: { tool0: 999 } })).status).toBe(
      400,
    );
  });

  it("answers 409 for moves while printing, and when not connected", async () => {
    h.engine.setState("printing");
    expect((await post("/api/printer/printhead", { command: "jog", x: 1 })).status).toBe(409);
    expect((await post("/api/printer/tool", { command: "extrude", amount: 1 })).status).toBe(409);
    expect(await sentBy("/api/printer/tool", { command: "target", targets: { tool0: 215 } })).toEqual([
      "M104 T0 S215",
    ]);
    h.engine.setState("disconnected");
    expect((await post("/api/printer/command", { command: "M105" })).status).toBe(409);
    h.engine.connected();
  });
});
