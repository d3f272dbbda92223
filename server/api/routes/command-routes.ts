import { z } from "zod";
import { heatersOffCommands } from "../../printer/printer.ts";
import type { PrinterState } from "../../printer/state-machine.ts";
import { HostError } from "../../util/errors.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { CommandsAccepted } from "../contract.ts";
import type { RouteContext, RouteRegistry } from "../route-registry.ts";
import {
  extrudeLines,
  fanLine,
  type HeaterTargets,
  homeLine,
  jogLines,
  targetLines,
} from "../v1/command-lines.ts";
import { sendLines } from "../v1/dispatch.ts";
import { HEATABLE, IDLE, MOVABLE, requireState } from "../v1/printer-states.ts";
import { EMPTY_BODY, jsonBody } from "../v1/request-input.ts";

/** Marlin's EXTRUDE_MINTEMP: below it the firmware skips E moves ("cold extrusion prevented"). */
const EXTRUDE_MIN_TEMP = 170;

const TEMPERATURE = z.number().min(0);
const TARGETS = z
  .record(
    z.string().regex(/^(tool[0-7]|bed|chamber)$/, "expected tool0 … tool7, bed or chamber"),
    TEMPERATURE,
  )
  .refine((t) => Object.keys(t).length > 0, "give at least one heater: tool0, bed, chamber");
const PRESET = z.strictObject({ name: z.string().trim().min(1).max(40) });
const DISTANCE_XY = z.number().min(-500).max(500);
const FEEDRATE = z.number().min(1).max(30_000);
const JOG = z.strictObject({
  x: DISTANCE_XY.optional(),
  y: DISTANCE_XY.optional(),
  z: z.number().min(-250).max(250).optional(),
  feedrate: FEEDRATE.optional(),
});
const HOME = z.strictObject({
  axes: z
    .array(z.enum(["x", "y", "z"]))
    .max(3)
    .optional(),
});
const EXTRUDE = z.strictObject({
  amount: z.number().min(-100).max(200),
  feedrate: z.number().min(1).max(6000).optional(),
});
const FAN = z.strictObject({ speed: z.number().min(0).max(100) });

function targetsOf(body: Record<string, number>): HeaterTargets {
  const targets: HeaterTargets = { tools: new Map() };
  for (const [key, value] of Object.entries(body)) {
    if (key === "bed") targets.bed = value;
    else if (key === "chamber") targets.chamber = value;
    else targets.tools.set(Number(key.slice(4)), value);
  }
  return targets;
}

/**
 * Printer commands (`commands:send`): heater targets, presets, cool-down, jog, home, extrude, fan,
 * motors off. Each is turned into G-code (v1/command-lines.ts), checked against the printer's state,
 * queued between print lines and answered 202 with the lines queued. Heaters and fan may be set while
 * printing; moving the head only when idle or paused; homing and motors off only when idle.
 */
export function commandRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { engine, log } = deps;

  const command = (
    path: string,
    summary: string,
    allowed: readonly PrinterState[],
    action: string,
    lines: (ctx: RouteContext) => string[],
  ): void => {
    routes.add({
      method: "post",
      path: `/api/v1/printer/${path}`,
      access: "commands:send",
      summary,
      handler: async (ctx) => {
        const commands = lines(ctx);
        requireState(engine, allowed, action);
        await sendLines(engine, commands, log);
        const body: CommandsAccepted = { commands };
        ctx.res.status(202).json(body);
      },
    });
  };

  command(
    "targets",
    "Set heater targets: {tool0, bed, chamber} in °C (M104 T0 / M140 / M141)",
    HEATABLE,
    "set temperatures",
    ({ req }) => targetLines(targetsOf(jsonBody(req, TARGETS))),
  );

  command(
    "preset",
    "Apply a temperature preset from the settings by name",
    HEATABLE,
    "apply a preset",
    ({ req }) => {
      const { name } = jsonBody(req, PRESET);
      const preset = deps.settings
        .get()
        .temperaturePresets.find((p) => p.name.toLowerCase() === name.toLowerCase());
      if (preset === undefined)
        throw new HostError(
          "NOT_FOUND",
          `no temperature preset ${JSON.stringify(name)} (see GET /api/v1/settings)`,
        );
      return targetLines({
        tools: new Map([[0, preset.nozzle]]),
        bed: preset.bed,
        ...(preset.chamber !== undefined ? { chamber: preset.chamber } : {}),
      });
    },
  );

  command("cooldown", "Every heater off", HEATABLE, "cool down", ({ req }) => {
    jsonBody(req, EMPTY_BODY);
    const { firmware, temperatures } = engine.snapshot();
    const lines = firmware === null ? ["M104 S0", "M140 S0"] : heatersOffCommands(firmware.profile);
    if ("C" in temperatures && !lines.some((l) => l.startsWith("M141"))) lines.push("M141 S0");
    return lines;
  });

  command("jog", "Move the head by {x, y, z} mm (relative), feedrate mm/min", MOVABLE, "jog", ({ req }) =>
    jogLines(jsonBody(req, JOG)),
  );

  command("home", "Home {axes} (default all)", IDLE, "home", ({ req }) => [
    homeLine(jsonBody(req, HOME).axes),
  ]);

  command(
    "extrude",
    "Extrude {amount} mm (negative retracts) at feedrate mm/min",
    MOVABLE,
    "extrude",
    ({ req }) => {
      const body = jsonBody(req, EXTRUDE);
      const nozzles = Object.entries(engine.snapshot().temperatures).filter(([key]) => /^T\d*$/.test(key));
      if (nozzles.length > 0 && nozzles.every(([, reading]) => reading.actual < EXTRUDE_MIN_TEMP))
        throw new HostError(
          "INVALID_STATE",
          `cannot extrude: the nozzle is below ${EXTRUDE_MIN_TEMP} °C (the firmware would refuse a cold extrusion)`,
        );
      return extrudeLines(body.amount, body.feedrate);
    },
  );

  command("fan", "Part fan {speed} 0–100 % (M106 / M107)", HEATABLE, "set the fan", ({ req }) => [
    fanLine(jsonBody(req, FAN).speed),
  ]);

  command("motors-off", "Stepper motors off (M84)", IDLE, "turn the motors off", ({ req }) => {
    jsonBody(req, EMPTY_BODY);
    return ["M84"];
  });
}
