import { z } from "zod";
import { HostError } from "../../util/errors.ts";
import { namespaced } from "../../util/log.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { lineBufferOf, terminalLine } from "../v1/command-lines.ts";
import { sendTerminalLines } from "../v1/dispatch.ts";
import { LINKED, requireState } from "../v1/printer-states.ts";
import { jsonBody, queryOf } from "../v1/request-input.ts";
import { FLAG } from "./form-values.ts";
import type { OctoContext } from "./octoprint-context.ts";
import { isOperational, printerState } from "./state-map.ts";
import { octoHistory, octoTemperatures } from "./temperature-map.ts";

const STATE_QUERY = z.object({
  exclude: z.string().max(200).optional(),
  history: FLAG,
  limit: z
    .string()
    .regex(/^\d{1,5}$/, "expected a whole number")
    .transform(Number)
    .optional(),
});

const COMMANDS = z.object({
  command: z.string().max(1000).optional(),
  commands: z.array(z.string().max(1000)).max(100).optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  script: z.string().max(200).optional(),
});

/** Temperature history as OctoPrint keeps it: up to 300 entries, one per second here. */
const HISTORY_DEFAULT = 300;

/** `/api/printer` (state, temperatures, history; 409 when not operational), `/command`, `/tool`, `/bed` reads. */
export function printerRoutes(routes: RouteRegistry, ctx: OctoContext): void {
  const { deps, selection } = ctx;
  const { engine } = deps;
  const log = namespaced(deps.log, "octoprint");
  const clock = deps.clock ?? Date.now;

  /** The snapshot, or 409 as OctoPrint answers when the printer is not connected. */
  const operational = () => {
    const snapshot = engine.snapshot();
    if (!isOperational(snapshot.state))
      throw new HostError("INVALID_STATE", `Printer is not operational (${snapshot.state})`);
    return snapshot;
  };
  const history = (limit: number | undefined, heaters?: string[]) => {
    const count = Math.min(limit ?? HISTORY_DEFAULT, 3600);
    const now = clock();
    return octoHistory(deps.history.temperaturesBetween(now - (count + 2) * 1000, now), count, heaters);
  };

  routes.add({
    method: "get",
    path: "/api/printer",
    access: "state:read",
    summary: "OctoPrint: temperatures, SD state and state flags; 409 when the printer is not operational",
    handler: ({ req, res }) => {
      const query = queryOf(req, STATE_QUERY);
      const snapshot = operational();
      const exclude = new Set((query.exclude ?? "").split(",").map((s) => s.trim()));
      const body: Record<string, unknown> = {};
      if (!exclude.has("temperature")) {
        const temperature: Record<string, unknown> = octoTemperatures(snapshot.temperatures);
        if (query.history) temperature.history = history(query.limit);
        body.temperature = temperature;
      }
      if (!exclude.has("sd")) body.sd = { ready: false };
      if (!exclude.has("state")) body.state = printerState(snapshot, selection.starting);
      res.json(body);
    },
  });

  for (const part of ["tool", "bed"] as const) {
    routes.add({
      method: "get",
      path: `/api/printer/${part}`,
      access: "state:read",
      summary: `OctoPrint: ${part === "tool" ? "nozzle" : "bed"} temperatures (history with ?history=true)`,
      handler: ({ req, res }) => {
        const query = queryOf(req, STATE_QUERY);
        const temperatures = octoTemperatures(operational().temperatures);
        const names = Object.keys(temperatures).filter((n) =>
          part === "bed" ? n === "bed" : n.startsWith("tool"),
        );
        if (part === "bed" && names.length === 0)
          throw new HostError("INVALID_STATE", "this printer has no heated bed");
        const body: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, temperatures[n]]));
        if (query.history) body.history = history(query.limit, names);
        res.json(body);
      },
    });
  }

  routes.add({
    method: "post",
    path: "/api/printer/command",
    access: "terminal",
    summary: 'OctoPrint: send G-code, `{"command":"G28"}` or `{"commands":[…]}`',
    handler: async ({ req, res }) => {
      const body = jsonBody(req, COMMANDS);
      if (body.script !== undefined)
        throw new HostError("INVALID_INPUT", "body.script: named scripts are not supported; send commands");
      if (body.parameters !== undefined && Object.keys(body.parameters).length > 0)
        throw new HostError("INVALID_INPUT", "body.parameters: placeholders are not supported");
      const raw = [...(body.command !== undefined ? [body.command] : []), ...(body.commands ?? [])];
      if (raw.length === 0) throw new HostError("INVALID_INPUT", 'body: send "command" or "commands"');
      const snapshot = requireState(engine, LINKED, "send commands");
      const lines = raw.map((line, i) => terminalLine(line, lineBufferOf(snapshot), `body.commands.${i}`));
      await sendTerminalLines(engine, lines, log);
      res.status(204).end();
    },
  });
}
