import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Server, type Socket as ServerSocket } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { backlogBytes } from "../../../../server/api/push/backlog.ts";
import { HubFixture, next } from "./hub-fixture.ts";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Stops (or restarts) reading the client's TCP socket, as a phone on a bad link would. */
function stall(client: Socket, stalled: boolean): void {
  const ws = (client.io.engine.transport as unknown as { ws: { _socket: NodeJS.ReadableStream } }).ws;
  if (stalled) ws._socket.pause();
  else ws._socket.resume();
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await sleep(10);
}

describe("backlogBytes", () => {
  it("reads what engine.io and ws hold for a client that stopped reading", async () => {
    const http = createServer();
    const server = new Server(http, { transports: ["websocket"] });
    await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
    cleanups.push(async () => {
      await server.close();
    });
    const connected = new Promise<ServerSocket>((resolve) => server.on("connection", resolve));
    const client = io(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, {
      transports: ["websocket"],
      reconnection: false,
    });
    cleanups.push(() => {
      client.disconnect();
    });
    const socket = await connected;
    await new Promise<void>((resolve) => client.once("connect", () => resolve()));
    expect(backlogBytes(socket)).toBe(0);

    stall(client, true);
    const chunk = "x".repeat(256 * 1024);
    for (let i = 0; i < 64; i++) socket.emit("blob", chunk);
    // 16 MB: more than loopback TCP buffers hold, so most of it waits on the server.
    await until(() => backlogBytes(socket) > 4 * 1024 * 1024);

    let received = 0;
    client.on("blob", () => received++);
    stall(client, false);
    await until(() => received === 64);
    await until(() => backlogBytes(socket) === 0);
  });
});

describe("a stalled client", () => {
  it("is skipped while backed up and then gets the latest temperatures, not every report", async () => {
    // No interval: without the backlog check every report would be queued for the client.
    const f = await HubFixture.start({
      rates: { temperaturesMs: 0, progressMs: 0, terminalMs: 0, terminalLines: 50, eventsPerSecond: 20 },
    });
    cleanups.push(() => f.stop());
    const { apiKey } = await f.user("vic", "viewer");
    const { socket } = await f.connected({ apiKey });
    const values: number[] = [];
    socket.on("temperatures", (m) => values.push(m.temperatures.B?.actual ?? -1));

    stall(socket, true);
    const padding = "p".repeat(64 * 1024);
    const reports = 500;
    for (let i = 0; i < reports; i++) {
      f.engine.emit("temperatures", {
        B: { actual: i, target: null },
        [padding]: { actual: 0, target: null },
      });
      await new Promise((resolve) => setImmediate(resolve));
    }
    stall(socket, false);
    const last = reports - 1;
    await until(() => values.at(-1) === last);
    // What the kernel's buffers took before the stall was noticed, plus the latest: far fewer than 500.
    expect(values.length).toBeLessThan(reports / 2);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    // The socket still works.
    const state = next(socket, "state");
    f.engine.emit("state", { from: "disconnected", to: "connecting", reason: "x" });
    expect((await state).to).toBe("connecting");
  });
});
