import { existsSync, readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  ConnectionResponse,
  PortsResponse,
  PrinterStateResponse,
  ProfilesResponse,
  SettingsResponse,
  TemperaturesResponse,
} from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { addUser, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { waitForPrinter, waitForState } from "./v1-helpers.ts";

/** Connection, printer state and temperatures, and settings, against the daemon with the simulated Marlin. */

let t: TestDaemon;
let viewer: ApiClient;
let operator: ApiClient;

beforeAll(async () => {
  t = await startTestDaemon({ simSpeed: 20 });
  viewer = await addUser(t, "vera", "viewer");
  operator = await addUser(t, "otto", "operator");
  await waitForState(t.admin, "idle");
});

afterAll(async () => {
  await t?.stop();
});

describe("connection", () => {
  it("lists ports and profiles to anyone signed in", async () => {
    const ports = await viewer.get<PortsResponse>("/api/v1/connection/ports");
    expect(ports.status).toBe(200);
    expect(Array.isArray(ports.body.ports)).toBe(true);
    expect(ports.body.virtual).toBe("virtual");
    const profiles = await viewer.get<ProfilesResponse>("/api/v1/connection/profiles");
    expect(profiles.status).toBe(200);
    expect(profiles.body.profiles).toContainEqual(
      expect.objectContaining({ id: "marlin-2", name: expect.any(String) }),
    );
  });

  it("shows the connection with its firmware and profile", async () => {
    const res = await viewer.get<ConnectionResponse>("/api/v1/connection");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      state: "idle",
      port: expect.any(String),
      baudRate: expect.any(Number),
      profile: { id: "marlin-2" },
      firmware: { name: expect.stringMatching(/marlin/i) },
    });
  });

  it("disconnects (204) and connects again with the settings' defaults (202)", async () => {
    expect((await viewer.post("/api/v1/connection/disconnect")).status).toBe(403);
    expect((await operator.post("/api/v1/connection/disconnect")).status).toBe(204);
    const off = await operator.get<ConnectionResponse>("/api/v1/connection");
    expect(off.body).toMatchObject({ state: "disconnected", port: null, firmware: null });

    const connect = await operator.post("/api/v1/connection/connect", {});
    expect(connect.status).toBe(202);
    expect(connect.body).toMatchObject({ port: "virtual" });
    await waitForState(operator, "idle");
  });

  it("refuses to connect while connected, to an unknown profile or to a path that is no serial port", async () => {
    const again = await operator.post("/api/v1/connection/connect", {});
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: "INVALID_STATE" } });
    const profile = await operator.post("/api/v1/connection/connect", { profile: "no-such-firmware" });
    expect(profile.status).toBe(400);
    expect(profile.body).toMatchObject({ error: { message: expect.stringContaining("body.profile") } });
    for (const port of ["/etc/passwd", "/dev/sda", "/dev/serial/by-id/../../sda", "ttyUSB0"]) {
      const res = await operator.post("/api/v1/connection/connect", { port });
      expect(res.status, port).toBe(400);
      expect(res.body).toMatchObject({ error: { message: expect.stringContaining("body.port") } });
    }
    const types = await operator.post("/api/v1/connection/connect", { baudRate: "fast" });
    expect(types.status).toBe(400);
    expect(types.body).toMatchObject({
      error: { code: "INVALID_INPUT", message: expect.stringContaining("body.baudRate") },
    });
  });
});

describe("printer state and temperatures", () => {
  it("shows state, firmware and temperatures", async () => {
    const state = await waitForPrinter(
      viewer,
      (s) => "T0" in s.temperatures && "B" in s.temperatures,
      "temperatures reported",
    );
    expect(state).toMatchObject({
      state: "idle",
      stateReason: expect.any(String),
      firmware: { profile: { id: "marlin-2" }, capabilities: expect.any(Object) },
      job: null,
      interrupted: null,
    });
    expect(state.temperatures.T0).toMatchObject({ actual: expect.any(Number) });
  });

  it("returns the latest temperatures, and a window of recorded samples on request", async () => {
    const latest = await viewer.get<TemperaturesResponse>("/api/v1/printer/temperatures");
    expect(latest.status).toBe(200);
    expect(latest.body.history).toBeNull();
    expect(latest.body.current).toHaveProperty("T0");
    await expect
      .poll(
        async () =>
          (await viewer.get<TemperaturesResponse>("/api/v1/printer/temperatures?minutes=5&heaters=T0")).body
            .history?.length ?? 0,
        {
          timeout: 20_000,
          interval: 250,
        },
      )
      .toBeGreaterThan(0);
    const window = await viewer.get<TemperaturesResponse>(
      "/api/v1/printer/temperatures?minutes=5&heaters=T0",
    );
    expect(new Set(window.body.history?.map((s) => s.heater))).toEqual(new Set(["T0"]));
  });

  it("refuses a malformed window", async () => {
    for (const query of ["minutes=abc", "minutes=0", "minutes=99999", "heaters=T0;DROP", "color=red"]) {
      const res = await viewer.get(`/api/v1/printer/temperatures?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({
        error: { code: "INVALID_INPUT", message: expect.stringMatching(/^query/) },
      });
    }
  });

  it("is not shown without credentials", async () => {
    const res = await fetch(new URL("/api/v1/printer", t.url));
    expect(res.status).toBe(401);
  });
});

describe("settings", () => {
  it("are readable by a viewer, with the default presets", async () => {
    const res = await viewer.get<SettingsResponse>("/api/v1/settings");
    expect(res.status).toBe(200);
    expect(res.body.temperaturePresets.map((p) => p.name)).toEqual(["PLA", "PETG", "ABS"]);
    expect(res.body.serial).toMatchObject({ port: "virtual", autoconnect: expect.any(Boolean) });
  });

  it("are changed by an admin only, merged, persisted and named in errors", async () => {
    expect(
      (await operator.request("PATCH", "/api/v1/settings", { json: { jobs: { coolAfterPauseMinutes: 5 } } }))
        .status,
    ).toBe(403);

    const patched = await t.admin.request<SettingsResponse>("PATCH", "/api/v1/settings", {
      json: { jobs: { park: { y: 180 } }, temperaturePresets: [{ name: "PLA", nozzle: 205, bed: 55 }] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.jobs).toMatchObject({ park: { x: expect.any(Number), y: 180 } });
    expect(patched.body.temperaturePresets).toEqual([{ name: "PLA", nozzle: 205, bed: 55 }]);
    expect((await viewer.get<SettingsResponse>("/api/v1/settings")).body.jobs.park.y).toBe(180);
    const file = `${t.dataDir}/settings.json`;
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ jobs: { park: { y: 180 } } });

    for (const [json, key] of [
      [{ serial: { baudRate: 12 } }, "body.serial.baudRate"],
      [{ jobs: { park: { y: "top" } } }, "body.jobs.park.y"],
      [{ serial: { flowControl: "xon" } }, "body.serial"],
      [{ temperaturePresets: [{ name: "PLA", nozzle: 500, bed: 60 }] }, "body.temperaturePresets.0.nozzle"],
    ] as const) {
      const res = await t.admin.request("PATCH", "/api/v1/settings", { json });
      expect(res.status, key).toBe(400);
      expect(res.body).toMatchObject({
        error: { code: "INVALID_INPUT", message: expect.stringContaining(key) },
      });
    }
    const malformed = await t.admin.request("PATCH", "/api/v1/settings", {
      body: "{ serial:",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
    expect((await viewer.get<SettingsResponse>("/api/v1/settings")).body.jobs.park.y).toBe(180);
  });
});

describe("input format", () => {
  it("refuses a body that is not JSON with 415 and one over 100 KB with 413", async () => {
    const text = await operator.request("POST", "/api/v1/printer/fan", {
      body: "speed=50",
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(text.status).toBe(415);
    const big = await operator.post("/api/v1/printer/terminal", {
      commands: ["M105"],
      pad: "x".repeat(200_000),
    });
    expect(big.status).toBe(413);
  });

  it("answers an unknown route under /api/v1 with a JSON 404", async () => {
    const res = await operator.get<PrinterStateResponse>("/api/v1/nothing-here");
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: "NOT_FOUND" } });
  });
});
