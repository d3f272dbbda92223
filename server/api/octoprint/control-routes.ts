import { z } from "zod";
import { HostError } from "../../util/errors.ts";
import { namespaced } from "../../util/log.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { extrudeLines, homeLine, jogLines, targetLines } from "../v1/command-lines.ts";
import { sendLines } from "../v1/dispatch.ts";
import { HEATABLE, IDLE, MOVABLE, requireState } from "../v1/printer-states.ts";
import { jsonBody } from "../v1/request-input.ts";
import { percentFactor, TOOL } from "./form-values.ts";
import type { OctoContext } from "./octoprint-context.ts";
import { axisSpeeds } from "./settings-map.ts";
import { toolCount } from "./temperature-map.ts";

const DISTANCE = z.number().min(-1000).max(1000);

const PRINTHEAD = z.discriminatedUnion("command", [
  z.object({
    command: z.literal("jog"),
    x: DISTANCE.optional(),
    y: DISTANCE.optional(),
    z: DISTANCE.optional(),
    absolute: z.boolean().optional(),
    // OctoPrint also allows `false` (no feedrate): then the axes' default speeds apply.
    speed: z.union([z.number().positive().max(100_000), z.boolean()]).optional(),
  }),
  z.object({
    command: z.literal("home"),
    axes: z
      .array(z.enum(["x", "y", "z"]))
      .min(1)
      .max(3),
  }),
  z.object({ command: z.literal("feedrate"), factor: percentFactor(50, 200) }),
]);

/** Host-side temperature offsets do not exist here; only "no offset" is accepted. */
const OFFSET = z.number().refine((v) => v === 0, "temperature offsets are not supported (only 0)");

const TOOL_COMMAND = z.discriminatedUnion("command", [
  z.object({ command: z.literal("target"), targets: z.record(z.string(), z.number()) }),
  z.object({ command: z.literal("offset"), offsets: z.record(z.string(), OFFSET) }),
  z.object({ command: z.literal("select"), tool: TOOL }),
  z.object({
    command: z.literal("extrude"),
    amount: z.number().min(-1000).max(1000),
    speed: z.number().positive().max(10_000).optional(),
  }),
  z.object({ command: z.literal("flowrate"), factor: percentFactor(75, 125) }),
]);

const BED_COMMAND = z.discriminatedUnion("command", [
  z.object({ command: z.literal("target"), target: z.number() }),
  z.object({ command: z.literal("offset"), offset: OFFSET }),
]);

function format(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** `/api/printer/printhead`, `/tool` and `/bed`: jog, home, speed and flow factors, targets, extrusion. */
export function controlRoutes(routes: RouteRegistry, ctx: OctoContext): void {
  const { engine } = ctx.deps;
  const log = namespaced(ctx.deps.log, "octoprint");
  const send = async (lines: string[]) => {
    await sendLines(engine, lines, log);
  };

  routes.add({
    method: "post",
    path: "/api/printer/printhead",
    access: "commands:send",
    summary: "OctoPrint: jog (relative or absolute), home axes, feed rate factor (M220)",
    handler: async ({ req, res }) => {
      const body = jsonBody(req, PRINTHEAD);
      if (body.command === "feedrate") {
        requireState(engine, HEATABLE, "set the feed rate");
        await send([`M220 S${body.factor}`]);
      } else if (body.command === "home") {
        requireState(engine, IDLE, "home");
        await send([homeLine(body.axes)]);
      } else {
        const snapshot = requireState(engine, MOVABLE, "jog");
        const speeds = axisSpeeds(snapshot);
        const moved = (["x", "y", "z"] as const).filter((a) => body[a] !== undefined && body[a] !== 0);
        const feedrate =
          typeof body.speed === "number" ? body.speed : Math.min(...moved.map((a) => speeds[a]), speeds.x);
        if (body.absolute === true) {
          if (moved.length === 0) throw new HostError("INVALID_INPUT", "body: give a position in x, y or z");
          const words = moved.map((a) => `${a.toUpperCase()}${format(body[a] ?? 0)}`);
          await send(["G90", `G1 ${words.join(" ")} F${format(feedrate)}`]);
        } else {
          await send(jogLines({ x: body.x, y: body.y, z: body.z, feedrate }));
        }
      }
      res.status(204).end();
    },
  });

  routes.add({
    method: "post",
    path: "/api/printer/tool",
    access: "commands:send",
    summary: "OctoPrint: nozzle targets, tool select, extrude/retract, flow rate factor (M221)",
    handler: async ({ req, res }) => {
      const body = jsonBody(req, TOOL_COMMAND);
      if (body.command === "offset") {
        res.status(204).end();
        return;
      }
      if (body.command === "target") {
        const snapshot = requireState(engine, HEATABLE, "set a nozzle target");
        const count = toolCount(snapshot.temperatures);
        const tools = new Map<number, number>();
        for (const [key, value] of Object.entries(body.targets)) {
          const tool = TOOL.safeParse(key);
          if (!tool.success || (count > 0 && tool.data >= count))
            throw new HostError("INVALID_INPUT", `body.targets: this printer has no ${JSON.stringify(key)}`);
          tools.set(tool.data, value);
        }
        if (tools.size === 0) throw new HostError("INVALID_INPUT", "body.targets: name at least one tool");
        await send(targetLines({ tools }));
      } else if (body.command === "select") {
        const snapshot = requireState(engine, IDLE, "select a tool");
        if (body.tool >= Math.max(1, toolCount(snapshot.temperatures)))
          throw new HostError("INVALID_INPUT", `body.tool: this printer has no tool${body.tool}`);
        await send([`T${body.tool}`]);
      } else if (body.command === "extrude") {
        const snapshot = requireState(engine, MOVABLE, "extrude");
        await send(extrudeLines(body.amount, body.speed ?? axisSpeeds(snapshot).e));
      } else {
        requireState(engine, HEATABLE, "set the flow rate");
        await send([`M221 S${body.factor}`]);
      }
      res.status(204).end();
    },
  });

  routes.add({
    method: "post",
    path: "/api/printer/bed",
    access: "commands:send",
    summary: "OctoPrint: bed target; 409 when the printer has no heated bed",
    handler: async ({ req, res }) => {
      const body = jsonBody(req, BED_COMMAND);
      if (body.command === "target") {
        const snapshot = requireState(engine, HEATABLE, "set the bed target");
        if (!("B" in snapshot.temperatures))
          throw new HostError("INVALID_STATE", "this printer has no heated bed");
        await send(targetLines({ tools: new Map(), bed: body.target }));
      }
      res.status(204).end();
    },
  });
}
