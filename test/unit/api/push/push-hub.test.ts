import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { PushAck } from "../../../../server/api/contract.ts";
import { HostError } from "../../../../server/util/errors.ts";
import { HubFixture, next, type TestSocket } from "./hub-fixture.ts";

let f: HubFixture;

beforeEach(async () => {
  f = await HubFixture.start();
});
afterEach(async () => {
  await f.stop();
});

/** Emits a client event (any name, any payload) and resolves with its acknowledgement. */
function ask(socket: TestSocket, event: string, payload?: unknown): Promise<PushAck<unknown>> {
  const loose = socket as unknown as { emit: (...args: unknown[]) => void };
  return new Promise((resolve) => {
    if (payload === undefined) loose.emit(event, resolve);
    else loose.emit(event, payload, resolve);
  });
}

describe("push handshake", () => {
  it("refuses a socket without credentials", async () => {
    const err = await f.refused({});
    expect(err.message).toBe("UNAUTHORIZED");
    expect(err.data?.message).toMatch(/log in|API key/);
  });

  it("refuses an unknown API key and an unknown session", async () => {
    expect((await f.refused({ apiKey: "lw_nope" })).message).toBe("UNAUTHORIZED");
    expect((await f.refused({ session: "nope" })).message).toBe("UNAUTHORIZED");
  });

  it("refuses a session cookie sent from another site, or with no Origin", async () => {
    const { session } = await f.user("vic", "viewer");
    const cross = await f.refused({ session, origin: "http://evil.example" });
    expect(cross.message).toBe("FORBIDDEN");
    expect(cross.data?.message).toMatch(/cross-site/);
    expect((await f.refused({ session, origin: null })).message).toBe("FORBIDDEN");
  });

  it("admits a session from this server's pages and sends the snapshot first", async () => {
    const { session } = await f.user("vic", "viewer");
    const { snapshot } = await f.connected({ session });
    expect(snapshot).toMatchObject({
      user: { name: "vic", role: "viewer" },
      terminal: false,
      state: "disconnected",
      firmware: null,
      job: null,
      interrupted: null,
    });
    expect(snapshot.permissions).toContain("state:read");
    expect(snapshot.permissions).not.toContain("terminal");
  });

  it("admits an API key from anywhere (it is not an ambient credential)", async () => {
    const { apiKey } = await f.user("opal", "operator");
    const { snapshot } = await f.connected({ apiKey, origin: "http://elsewhere.example" });
    expect(snapshot.user).toEqual({ name: "opal", role: "operator" });
    expect(snapshot.permissions).toContain("terminal");
  });
});

describe("push messages", () => {
  it("relays every state change and job event as it happens", async () => {
    const { apiKey } = await f.user("vic", "viewer");
    const { socket } = await f.connected({ apiKey });
    const state = next(socket, "state");
    f.engine.emit("state", { from: "disconnected", to: "connecting", reason: "opening the port" });
    expect(await state).toMatchObject({ from: "disconnected", to: "connecting", reason: "opening the port" });
    const started = next(socket, "event");
    f.engine.emit("started", { jobId: 7, file: "cube.gcode", user: "ada" });
    expect(await started).toMatchObject({ type: "started", jobId: 7, file: "cube.gcode", user: "ada" });
    const done = next(socket, "event");
    f.engine.emit("finished", {
      jobId: 7,
      file: "cube.gcode",
      result: "cancelled",
      reason: "by ada",
      lines: 10,
      seconds: 2,
    });
    expect(await done).toMatchObject({ type: "cancelled", jobId: 7, reason: "by ada", lines: 10 });
  });

  it("sends temperatures (latest first) and progress to a fresh client", async () => {
    const { apiKey } = await f.user("vic", "viewer");
    const { socket } = await f.connected({ apiKey });
    const temperatures = next(socket, "temperatures");
    f.engine.emit("temperatures", { T0: { actual: 200, target: 210 } });
    expect((await temperatures).temperatures).toEqual({ T0: { actual: 200, target: 210 } });
  });

  it("gives terminal lines only to a subscriber with the terminal permission", async () => {
    const viewer = await f.connected({ apiKey: (await f.user("vic", "viewer")).apiKey });
    const operator = await f.connected({ apiKey: (await f.user("opal", "operator")).apiKey });
    const refused = await ask(viewer.socket, "subscribe", { terminal: true });
    expect(refused).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(await ask(operator.socket, "subscribe", { terminal: true })).toEqual({
      ok: true,
      data: { terminal: true },
    });
    let viewerLines = 0;
    viewer.socket.on("terminal", () => viewerLines++);
    const batch = next(operator.socket, "terminal");
    f.engine.emit("line", "recv", "ok T:200.0 /210.0");
    expect((await batch).lines).toEqual([{ dir: "recv", text: "ok T:200.0 /210.0" }]);
    // The viewer got the state event sent after the line, but never a terminal batch.
    const state = next(viewer.socket, "state");
    f.engine.emit("state", { from: "disconnected", to: "connecting", reason: "x" });
    await state;
    expect(viewerLines).toBe(0);
  });
});

describe("push client events", () => {
  it("refuses terminal:send from a viewer with FORBIDDEN and sends nothing", async () => {
    const { socket } = await f.connected({ apiKey: (await f.user("vic", "viewer")).apiKey });
    const answer = await ask(socket, "terminal:send", { line: "M104 S250" });
    expect(answer).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
    expect(f.engine.sent).toEqual([]);
  });

  it("routes an operator's terminal:send to the engine, and its errors back in the ack", async () => {
    const { socket } = await f.connected({ apiKey: (await f.user("opal", "operator")).apiKey });
    expect(await ask(socket, "terminal:send", { line: "M105" })).toMatchObject({
      ok: false,
      error: { code: "INVALID_STATE", message: "cannot send G-code: the printer is disconnected" },
    });
    f.engine.linked();
    expect(await ask(socket, "terminal:send", { line: "M105 ; temperatures" })).toEqual({
      ok: true,
      data: { commands: ["M105"] },
    });
    expect(f.engine.sent).toEqual(["M105"]);
    f.engine.sendError = new HostError("DISCONNECTED", "the link closed");
    expect(await ask(socket, "terminal:send", { line: "M105" })).toEqual({
      ok: false,
      error: { code: "DISCONNECTED", message: "the link closed" },
    });
  });

  it("makes M112 an emergency stop past every queue", async () => {
    const { socket } = await f.connected({ apiKey: (await f.user("opal", "operator")).apiKey });
    f.engine.linked();
    expect(await ask(socket, "terminal:send", { line: "M112" })).toEqual({
      ok: true,
      data: { commands: ["M112"], emergencyStop: true },
    });
    expect(f.engine.emergencyStops).toBe(1);
    expect(f.engine.sent).toEqual([]);
  });

  it("refuses malformed input and unknown events", async () => {
    const { socket } = await f.connected({ apiKey: (await f.user("opal", "operator")).apiKey });
    f.engine.linked();
    const twoLines = await ask(socket, "terminal:send", { line: "M105\nM104 S250" });
    expect(twoLines).toMatchObject({ ok: false, error: { code: "INVALID_INPUT" } });
    expect(await ask(socket, "terminal:send", { line: "N5 M105*12" })).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    expect(await ask(socket, "terminal:send", "M105")).toMatchObject({
      ok: false,
      error: { code: "INVALID_INPUT" },
    });
    expect(await ask(socket, "print:everything", {})).toMatchObject({
      ok: false,
      error: { code: "NOT_FOUND" },
    });
    expect(f.engine.sent).toEqual([]);
  });

  it("throttles a client that sends too many events", async () => {
    const { socket } = await f.connected({ apiKey: (await f.user("opal", "operator")).apiKey });
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => ask(socket, "subscribe", { terminal: false })),
    );
    const throttled = answers.filter((a) => !a.ok && a.error.code === "THROTTLED");
    expect(throttled.length).toBeGreaterThan(0);
  });
});

describe("sessions that end", () => {
  it("closes the socket of a session that logged out, saying why", async () => {
    const { session } = await f.user("vic", "viewer");
    const { socket } = await f.connected({ session });
    const closing = next(socket, "closing");
    const disconnected = new Promise((resolve) => socket.once("disconnect", resolve));
    f.auth.logout(session);
    f.hub.recheck();
    expect(await closing).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringMatching(/session/) });
    await disconnected;
    expect(f.hub.clientCount).toBe(0);
  });

  it("closes API-key sockets of a disabled user", async () => {
    const { id, apiKey } = await f.user("vic", "viewer");
    const { socket } = await f.connected({ apiKey });
    const closing = next(socket, "closing");
    f.auth.setDisabled(id, true);
    f.hub.recheck();
    expect(await closing).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("refuses an event from a socket whose session ended before the periodic check", async () => {
    const { session } = await f.user("opal", "operator");
    const { socket } = await f.connected({ session });
    f.engine.linked();
    f.auth.logout(session);
    expect(await ask(socket, "terminal:send", { line: "M105" })).toMatchObject({
      ok: false,
      error: { code: "UNAUTHORIZED" },
    });
    expect(f.engine.sent).toEqual([]);
  });

  it("applies a role change: a new snapshot, and the terminal subscription ends", async () => {
    const { id, apiKey } = await f.user("opal", "operator");
    const { socket } = await f.connected({ apiKey });
    await ask(socket, "subscribe", { terminal: true });
    const snapshot = next(socket, "snapshot");
    f.auth.setRole(id, "viewer");
    f.hub.recheck();
    expect(await snapshot).toMatchObject({ user: { role: "viewer" }, terminal: false });
  });
});
