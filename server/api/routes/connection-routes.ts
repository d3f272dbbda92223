import { z } from "zod";
import { HostError } from "../../util/errors.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { ConnectAccepted, ConnectionResponse, PortsResponse, ProfilesResponse } from "../contract.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { GRACE_MS, settleWithin } from "../v1/dispatch.ts";
import { JOB_ACTIVE, requireState } from "../v1/printer-states.ts";
import { jsonBody } from "../v1/request-input.ts";

const CONNECT = z.strictObject({
  port: z.string().min(1).max(1024).optional(),
  baudRate: z.number().int().min(300).max(4_000_000).nullable().optional(),
  profile: z.string().min(1).max(100).nullable().optional(),
});

/** Serial device nodes: USB and on-board UARTs, their udev links, Bluetooth RFCOMM, macOS call-out devices. */
const SERIAL_DEVICE = /^\/dev\/(?:tty[A-Za-z0-9._-]+|serial\/by-(?:id|path)\/[^/]+|rfcomm\d+|cu\.[^/]+)$/;

/**
 * Whether an operator may open `port`: the simulated printer, a serial device node, a port the port
 * list shows, or the one an admin put in the settings. Anything else (a disk, a regular file, a socket
 * in /tmp) would have the daemon open and write to an arbitrary path.
 */
async function checkPort(deps: ApiDeps, port: string): Promise<void> {
  if (port === "virtual" || port === deps.settings.get().serial.port) return;
  if (!port.split("/").includes("..") && SERIAL_DEVICE.test(port)) return;
  const listed = await deps.listPorts();
  if (listed.some((p) => p.path === port || p.byIdPath === port)) return;
  throw new HostError(
    "INVALID_INPUT",
    `body.port: ${JSON.stringify(port.slice(0, 100))} is not a serial device (expected "virtual", a /dev/tty… or /dev/serial/… path, or the port in the settings)`,
  );
}

/** Serial ports, firmware profiles, and connecting to or disconnecting from the printer. */
export function connectionRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { engine, log } = deps;

  routes.add({
    method: "get",
    path: "/api/v1/connection/ports",
    access: "state:read",
    summary: "Serial ports on this machine (USB names, /dev/serial/by-id paths)",
    handler: async ({ res }) => {
      const body: PortsResponse = { ports: await deps.listPorts(), virtual: "virtual" };
      res.json(body);
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/connection/profiles",
    access: "state:read",
    summary: "Firmware profiles a connection may name",
    handler: ({ res }) => {
      const body: ProfilesResponse = {
        profiles: deps.profiles.map((p) => ({ id: p.id, name: p.name, firmware: p.detection.example })),
      };
      res.json(body);
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/connection",
    access: "state:read",
    summary: "The connection: state, port, baud rate, firmware and its profile",
    handler: ({ res }) => {
      const { state, stateReason, firmware } = engine.snapshot();
      const body: ConnectionResponse = {
        state,
        stateReason,
        port: firmware?.port ?? null,
        baudRate: firmware?.baudRate ?? null,
        profile: firmware === null ? null : { id: firmware.profile.id, name: firmware.profile.name },
        firmware: firmware === null ? null : { name: firmware.name, fields: firmware.fields },
      };
      res.json(body);
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/connection/connect",
    access: "commands:send",
    summary:
      "Connect (port, baud rate and profile default to the settings); 202 while it detects the firmware",
    handler: async ({ req, res }) => {
      const body = jsonBody(req, CONNECT);
      const serial = deps.settings.get().serial;
      const port = body.port ?? serial.port;
      const baudRate = body.baudRate === undefined ? serial.baudRate : body.baudRate;
      const profile = body.profile === undefined ? serial.profile : body.profile;
      if (profile !== null && !deps.profiles.some((p) => p.id === profile))
        throw new HostError(
          "INVALID_INPUT",
          `body.profile: no firmware profile ${JSON.stringify(profile)} (GET /api/v1/connection/profiles)`,
        );
      await checkPort(deps, port);
      requireState(engine, ["disconnected", "error"], "connect");
      const connecting = engine.connect({
        port,
        ...(baudRate !== null ? { baudRate } : {}),
        ...(profile !== null ? { profile } : {}),
      });
      await settleWithin(connecting, GRACE_MS, log, `connect to ${port}`);
      const accepted: ConnectAccepted = { port, baudRate, profile };
      res.status(202).json(accepted);
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/connection/disconnect",
    access: "commands:send",
    summary: "Disconnect; refused while a print is under way (cancel it first)",
    handler: async ({ res }) => {
      const { state } = engine.snapshot();
      if (JOB_ACTIVE.includes(state))
        throw new HostError(
          "INVALID_STATE",
          `cannot disconnect: the printer is ${state}; cancel the print first`,
          {
            state,
          },
        );
      await engine.disconnect();
      res.status(204).end();
    },
  });
}
