import { z } from "zod";
import { HostError } from "../../util/errors.ts";
import { namespaced } from "../../util/log.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { settleWithin } from "../v1/dispatch.ts";
import { JOB_ACTIVE } from "../v1/printer-states.ts";
import { jsonBody } from "../v1/request-input.ts";
import { baseUrl, type OctoContext } from "./octoprint-context.ts";
import { PROFILE_ID, printerProfile } from "./settings-map.ts";
import { STATE_TEXT } from "./state-map.ts";

/** What OctoPrint offers; the engine detects the rate when none is given. */
const BAUD_RATES = [250000, 230400, 115200, 57600, 38400, 19200, 9600];

const CONNECTION = z.discriminatedUnion("command", [
  z.object({
    command: z.literal("connect"),
    port: z.string().min(1).max(1024).optional(),
    baudrate: z.union([z.number().int(), z.literal("AUTO")]).optional(),
    printerProfile: z.string().max(200).optional(),
    save: z.boolean().optional(),
    autoconnect: z.boolean().optional(),
  }),
  z.object({ command: z.literal("disconnect") }),
]);

/** How long a connect may take before the request answers and the rest happens in the background. */
const CONNECT_GRACE_MS = 1000;

/** `/api/connection` (state, ports, baud rates; connect/disconnect) and `/api/printerprofiles`. */
export function connectionRoutes(routes: RouteRegistry, ctx: OctoContext): void {
  const { deps } = ctx;
  const { engine } = deps;
  const log = namespaced(deps.log, "octoprint");
  // The port of the last connection, else the configured one: a bare `connect` (Cura's) uses it.
  let lastPort: string | null = engine.snapshot().firmware?.port ?? null;
  engine.on("firmware", (info) => {
    lastPort = info.port;
  });
  const preferredPort = () => lastPort ?? deps.settings.get().serial.port;

  const ports = async (): Promise<string[]> => {
    const listed = (await deps.listPorts()).flatMap((p) => [
      p.path,
      ...(p.byIdPath !== null ? [p.byIdPath] : []),
    ]);
    return [...new Set([preferredPort(), ...listed])];
  };

  routes.add({
    method: "get",
    path: "/api/connection",
    access: "state:read",
    summary: "OctoPrint: connection state, port and baud rate, and the options to connect with",
    handler: async ({ res }) => {
      const snapshot = engine.snapshot();
      res.json({
        current: {
          state: STATE_TEXT[snapshot.state],
          port: snapshot.firmware?.port ?? null,
          baudrate: snapshot.firmware?.baudRate ?? null,
          printerProfile: PROFILE_ID,
        },
        options: {
          ports: await ports(),
          baudrates: BAUD_RATES,
          printerProfiles: [{ id: PROFILE_ID, name: snapshot.firmware?.profile.name ?? "Default" }],
          portPreference: preferredPort(),
          baudratePreference: deps.settings.get().serial.baudRate,
          printerProfilePreference: PROFILE_ID,
          autoconnect: true,
        },
      });
    },
  });

  routes.add({
    method: "post",
    path: "/api/connection",
    access: "commands:send",
    summary: "OctoPrint: connect (port, baud rate) or disconnect (a running print is cancelled)",
    handler: async ({ req, res }) => {
      const body = jsonBody(req, CONNECTION);
      const snapshot = engine.snapshot();
      if (body.command === "disconnect") {
        await settleWithin(engine.disconnect(), CONNECT_GRACE_MS, log, "disconnect");
        res.status(204).end();
        return;
      }
      if (body.printerProfile !== undefined && body.printerProfile !== PROFILE_ID)
        throw new HostError("INVALID_INPUT", `body.printerProfile: the only profile is ${PROFILE_ID}`);
      const baudRate = typeof body.baudrate === "number" && body.baudrate !== 0 ? body.baudrate : undefined;
      if (baudRate !== undefined && !BAUD_RATES.includes(baudRate))
        throw new HostError("INVALID_INPUT", `body.baudrate: expected one of ${BAUD_RATES.join(", ")}`);
      const port = body.port === undefined || body.port === "AUTO" ? lastPort : body.port;
      if (port === null)
        throw new HostError("INVALID_INPUT", "body.port: no earlier connection; name a port");
      if (!(await ports()).includes(port))
        throw new HostError("INVALID_INPUT", `body.port: no serial port ${JSON.stringify(port)}`);
      if (JOB_ACTIVE.includes(snapshot.state))
        throw new HostError("INVALID_STATE", `cannot reconnect: the printer is ${snapshot.state}`);
      if (
        snapshot.state === "connecting" ||
        (snapshot.state === "idle" && snapshot.firmware?.port === port)
      ) {
        res.status(204).end();
        return;
      }
      const connect = async () => {
        if (snapshot.state !== "disconnected") await engine.disconnect();
        await engine.connect({ port, ...(baudRate !== undefined ? { baudRate } : {}) });
      };
      await settleWithin(connect(), CONNECT_GRACE_MS, log, `connect to ${port}`);
      res.status(204).end();
    },
  });

  routes.add({
    method: "get",
    path: "/api/printerprofiles",
    access: "state:read",
    summary: "OctoPrint: the printer profile (_default), from the connected firmware",
    handler: ({ req, res }) => {
      res.json({ profiles: { [PROFILE_ID]: printerProfile(engine.snapshot(), baseUrl(req)) } });
    },
  });
}
