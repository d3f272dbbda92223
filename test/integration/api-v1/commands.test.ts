import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CommandsAccepted } from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { addUser, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { waitForPrinter, waitForState } from "./v1-helpers.ts";

/** Printer commands and the terminal, against the daemon with the simulated Marlin (idle). */

let t: TestDaemon;
let viewer: ApiClient;
let operator: ApiClient;

beforeAll(async () => {
  t = await startTestDaemon({ simSpeed: 50, engine: "worker" });
  viewer = await addUser(t, "vera", "viewer");
  operator = await addUser(t, "otto", "operator");
  await waitForState(t.admin, "idle");
});

afterAll(async () => {
  await t?.stop();
});

async function accepted(path: string, body: unknown): Promise<string[]> {
  const res = await operator.post<CommandsAccepted>(`/api/v1/printer/${path}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(202);
  return res.body.commands;
}

describe("heaters and fan", () => {
  it("sets targets, which the firmware then reports", async () => {
    expect(await accepted("targets", { tool0: 180, bed: 50 })).toEqual(["M104 T0 S180", "M140 S50"]);
    await waitForPrinter(
      viewer,
      (s) => s.temperatures.T0?.target === 180 && s.temperatures.B?.target === 50,
      "targets reported",
    );
  });

  it("applies a preset by name and cools down", async () => {
    expect(await accepted("preset", { name: "petg" })).toEqual(["M104 T0 S235", "M140 S80"]);
    await waitForPrinter(viewer, (s) => s.temperatures.T0?.target === 235, "the preset's target reported");
    const off = await accepted("cooldown", undefined);
    expect(off).toEqual(expect.arrayContaining(["M140 S0"]));
    expect(off.some((l) => /^M104\b.*S0$/.test(l))).toBe(true);
    await waitForPrinter(
      viewer,
      (s) => s.temperatures.T0?.target === 0 && s.temperatures.B?.target === 0,
      "heaters off",
    );
  });

  it("sets the fan in percent", async () => {
    expect(await accepted("fan", { speed: 50 })).toEqual(["M106 S128"]);
    expect(await accepted("fan", { speed: 0 })).toEqual(["M107"]);
  });

  it("refuses targets out of range, unknown heaters, unknown presets and viewers", async () => {
    const cases: [string, unknown, number, RegExp][] = [
      ["targets", { tool0: 400 }, 400, /body\.tool0/],
      ["targets", { bed: -5 }, 400, /body\.bed/],
      ["targets", { nozzle: 200 }, 400, /body\.nozzle/],
      ["targets", {}, 400, /at least one/],
      ["targets", { tool0: "hot" }, 400, /body\.tool0/],
      ["preset", { name: "NYLON" }, 404, /no temperature preset "NYLON"/],
      ["fan", { speed: 101 }, 400, /body\.speed/],
    ];
    for (const [path, body, status, message] of cases) {
      const res = await operator.post(`/api/v1/printer/${path}`, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(res.body).toMatchObject({ error: { message: expect.stringMatching(message) } });
    }
    expect((await viewer.post("/api/v1/printer/targets", { tool0: 200 })).status).toBe(403);
  });
});

describe("motion", () => {
  it("homes, jogs and turns the motors off", async () => {
    expect(await accepted("home", { axes: ["x", "y"] })).toEqual(["G28 X Y"]);
    expect(await accepted("home", {})).toEqual(["G28"]);
    expect(await accepted("jog", { x: 10, y: -5, feedrate: 3000 })).toEqual([
      "G91",
      "G1 X10 Y-5 F3000",
      "G90",
    ]);
    expect(await accepted("motors-off", undefined)).toEqual(["M84"]);
  });

  it("refuses a cold extrusion, then extrudes once the nozzle is hot", async () => {
    const cold = await operator.post("/api/v1/printer/extrude", { amount: 5 });
    expect(cold.status).toBe(409);
    expect(cold.body).toMatchObject({
      error: { code: "INVALID_STATE", message: expect.stringContaining("170") },
    });
    await accepted("targets", { tool0: 200 });
    await waitForPrinter(viewer, (s) => (s.temperatures.T0?.actual ?? 0) >= 175, "the nozzle heats", 60_000);
    expect(await accepted("extrude", { amount: 5, feedrate: 120 })).toEqual(["M83", "G1 E5 F120"]);
    await accepted("cooldown", {});
  });

  it("refuses bad moves with the field named", async () => {
    const cases: [string, unknown, RegExp][] = [
      ["jog", {}, /give a distance/],
      ["jog", { x: 5000 }, /body\.x/],
      ["jog", { x: 1, speed: 3 }, /speed/],
      ["home", { axes: ["e"] }, /body\.axes\.0/],
      ["extrude", { amount: 0 }, /body\.amount/],
      ["motors-off", { now: true }, /now/],
    ];
    for (const [path, body, message] of cases) {
      const res = await operator.post(`/api/v1/printer/${path}`, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBe(400);
      expect(res.body).toMatchObject({
        error: { code: "INVALID_INPUT", message: expect.stringMatching(message) },
      });
    }
  });
});

describe("terminal", () => {
  it("sends one line or several", async () => {
    const one = await operator.post<CommandsAccepted>("/api/v1/printer/terminal", { command: "M105 ; poll" });
    expect(one.status).toBe(202);
    expect(one.body.commands).toEqual(["M105"]);
    const many = await operator.post<CommandsAccepted>("/api/v1/printer/terminal", {
      commands: ["M114", "M115"],
    });
    expect(many.status).toBe(202);
    expect(many.body.commands).toEqual(["M114", "M115"]);
  });

  it("refuses newline injection, framing, M110, long lines and viewers, sending none of the request", async () => {
    const cases: [unknown, number, RegExp][] = [
      [{ command: "M105\nM104 S300" }, 400, /one line only/],
      [{ commands: ["M105", "G28\r"] }, 400, /body\.commands\.1: one line only/],
      [{ command: "N10 M105*35" }, 400, /bare command/],
      [{ command: "M110 N0" }, 400, /renumbers/],
      [{ command: `M117 ${"x".repeat(100)}` }, 422, /line buffer/],
      [{ commands: [] }, 400, /body/],
      [{ command: "M105", commands: ["M105"] }, 400, /body/],
    ];
    for (const [body, status, message] of cases) {
      const res = await operator.post("/api/v1/printer/terminal", body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body).toMatchObject({ error: { message: expect.stringMatching(message) } });
    }
    expect((await viewer.post("/api/v1/printer/terminal", { command: "M105" })).status).toBe(403);
  });

  it("routes M112 to the emergency stop, after which the printer must be connected again", async () => {
    const res = await operator.post<CommandsAccepted>("/api/v1/printer/terminal", {
      commands: ["G28", "M112"],
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ commands: ["M112"], emergencyStop: true });
    await waitForState(viewer, "error");
    const refused = await operator.post("/api/v1/printer/jog", { x: 1 });
    expect(refused.status).toBe(409);
    expect((await operator.post("/api/v1/connection/connect", {})).status).toBe(202);
    await waitForState(viewer, "idle");
  });

  it("refuses every command while disconnected", async () => {
    expect((await operator.post("/api/v1/connection/disconnect")).status).toBe(204);
    for (const [path, body] of [
      ["targets", { bed: 50 }],
      ["jog", { x: 1 }],
      ["terminal", { command: "M105" }],
      ["fan", { speed: 10 }],
    ] as const) {
      const res = await operator.post(`/api/v1/printer/${path}`, body);
      expect(res.status, path).toBe(409);
      expect(res.body).toMatchObject({
        error: { code: "INVALID_STATE", message: expect.stringContaining("disconnected") },
      });
    }
    expect((await operator.post("/api/v1/connection/connect", {})).status).toBe(202);
    await waitForState(viewer, "idle");
  });
});
