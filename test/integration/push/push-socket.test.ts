import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type {
  PushAck,
  PushServerEvents,
  PushSnapshot,
  PushTerminalLine,
} from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { layeredGcode } from "../../helpers/layered-gcode.ts";
import { addUser, apiKeyFor, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";

/**
 * The push socket of the real daemon (simulated printer, real HTTP port) through socket.io-client,
 * as the dashboard and scripts use it; with the engine in this thread and in its worker thread
 * (whose events reach the socket through the worker's mirror).
 */

type Client = Socket<PushServerEvents>;
type Refusal = Error & { data?: { code: string; message: string } };

let t: TestDaemon;
const open: Client[] = [];

interface Credentials {
  apiKey?: string;
  /** A logged-in client whose cookie is sent. */
  as?: ApiClient;
  /** Default: the daemon's own origin with a cookie, none otherwise; null: none. */
  origin?: string | null;
}

function socket(credentials: Credentials): Client {
  const headers: Record<string, string> = {};
  const cookie = credentials.as?.cookieHeader;
  if (cookie !== undefined) headers.cookie = cookie;
  const origin =
    credentials.origin === undefined ? (cookie !== undefined ? t.url : null) : credentials.origin;
  if (origin !== null) headers.origin = origin;
  const client: Client = io(t.url, {
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: headers,
    auth: credentials.apiKey !== undefined ? { apiKey: credentials.apiKey } : {},
  });
  open.push(client);
  return client;
}

async function connect(credentials: Credentials): Promise<{ client: Client; snapshot: PushSnapshot }> {
  const client = socket(credentials);
  const snapshot = await new Promise<PushSnapshot>((resolve, reject) => {
    client.once("snapshot", resolve);
    client.once("connect_error", reject);
  });
  return { client, snapshot };
}

function refusal(credentials: Credentials): Promise<Refusal> {
  const client = socket(credentials);
  return new Promise((resolve, reject) => {
    client.once("connect", () => reject(new Error("connected, but a refusal was expected")));
    client.once("connect_error", resolve);
  });
}

function ask(client: Client, event: string, payload: unknown): Promise<PushAck<unknown>> {
  const loose = client as unknown as { emit: (...args: unknown[]) => void };
  return new Promise((resolve) => loose.emit(event, payload, resolve));
}

describe.each(["inline", "worker"] as const)("with the engine %s", (engine) => {
  beforeAll(async () => {
    t = await startTestDaemon({ engine, simSpeed: 20 });
  });
  afterEach(() => {
    for (const socket of open.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe("the push handshake", () => {
    it("refuses a socket without credentials", async () => {
      const err = await refusal({});
      expect(err.message).toBe("UNAUTHORIZED");
    });

    it("refuses a session cookie sent from another site", async () => {
      const err = await refusal({ as: t.admin, origin: "http://evil.example" });
      expect(err.message).toBe("FORBIDDEN");
      expect(err.data?.message).toMatch(/cross-site/);
    });

    it("accepts a session cookie from the daemon's own pages", async () => {
      const { snapshot } = await connect({ as: t.admin });
      expect(snapshot.user.role).toBe("admin");
      expect(snapshot.state).toBe("idle");
      expect(snapshot.firmware).not.toBeNull();
    });

    it("accepts an API key", async () => {
      const apiKey = await apiKeyFor(t, "kiosk", "viewer");
      const { snapshot } = await connect({ apiKey });
      expect(snapshot.user).toEqual({ name: "kiosk", role: "viewer" });
      expect(snapshot.permissions).not.toContain("terminal");
    });
  });

  describe("what a client is sent", () => {
    it("the snapshot, then every state change and the job's events when a print starts", async () => {
      const { client } = await connect({ apiKey: await apiKeyFor(t, "watcher", "viewer") });
      const states: string[] = [];
      const events: string[] = [];
      client.on("state", (s) => states.push(s.to));
      client.on("event", (e) => events.push(e.type));
      await t.parts.files.save(
        "push/ring.gcode",
        Readable.from([layeredGcode({ layers: 40, movesPerLayer: 40 })]),
      );
      await t.parts.engine.print("push/ring.gcode");
      await expect.poll(() => states.includes("printing") && events.includes("started")).toBe(true);
      await t.parts.engine.cancel("the push test is done");
      await expect.poll(() => events.includes("cancelled") && states.at(-1) === "idle").toBe(true);
      expect(states.slice(0, 1)).toEqual(["printing"]);
    });

    it("temperatures at most twice a second", async () => {
      const { client } = await connect({ apiKey: await apiKeyFor(t, "thermo", "viewer") });
      let count = 0;
      client.on("temperatures", () => count++);
      const started = performance.now();
      await sleep(3000);
      const seconds = (performance.now() - started) / 1000;
      // The first report goes at once, then at most one per 500 ms.
      expect(count).toBeGreaterThan(0);
      expect(count).toBeLessThanOrEqual(Math.floor(seconds * 2) + 1);
    });

    it("no terminal for a viewer: subscribing and sending are FORBIDDEN", async () => {
      const { client } = await connect({ as: await addUser(t, "vera", "viewer") });
      expect(await ask(client, "subscribe", { terminal: true })).toMatchObject({
        ok: false,
        error: { code: "FORBIDDEN" },
      });
      expect(await ask(client, "terminal:send", { line: "M117 hi" })).toMatchObject({
        ok: false,
        error: { code: "FORBIDDEN" },
      });
    });

    it("terminal lines for an operator who subscribes, and their terminal:send reaches the printer", async () => {
      const { client } = await connect({ as: await addUser(t, "otto", "operator") });
      const lines: PushTerminalLine[] = [];
      client.on("terminal", (batch) => lines.push(...batch.lines));
      expect(await ask(client, "subscribe", { terminal: true })).toEqual({
        ok: true,
        data: { terminal: true },
      });
      expect(await ask(client, "terminal:send", { line: "M115" })).toEqual({
        ok: true,
        data: { commands: ["M115"] },
      });
      await expect
        .poll(() => lines.some((l) => l.dir === "recv" && l.text.includes("FIRMWARE_NAME")))
        .toBe(true);
      expect(lines).toContainEqual({ dir: "send", text: "M115" });
    });
  });

  describe("sessions that end", () => {
    it("a socket is closed when its session logs out", async () => {
      const user = await addUser(t, "leaving", "viewer");
      const { client } = await connect({ as: user });
      const closing = new Promise((resolve) => client.once("closing", resolve));
      const disconnected = new Promise((resolve) => client.once("disconnect", resolve));
      expect((await user.post("/api/v1/auth/logout")).status).toBe(204);
      expect(await closing).toMatchObject({ code: "UNAUTHORIZED" });
      await disconnected;
    });
  });
});
