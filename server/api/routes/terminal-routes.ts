import { z } from "zod";
import type { ApiDeps } from "../api-deps.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { lineBufferOf, terminalLine } from "../v1/command-lines.ts";
import { sendTerminalLines } from "../v1/dispatch.ts";
import { LINKED, requireState } from "../v1/printer-states.ts";
import { jsonBody } from "../v1/request-input.ts";

const LINE = z.string().max(4096);
const TERMINAL = z.union([
  z.strictObject({ command: LINE }),
  z.strictObject({ commands: z.array(LINE).min(1).max(50) }),
]);

/**
 * Raw G-code from the terminal (`terminal`). Every line is checked before any is sent (one line each,
 * ASCII, no framing, fits the firmware's line buffer), then all are queued together; M112 anywhere
 * is an emergency stop at once, past every queue, and nothing else of the request is sent.
 */
export function terminalRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { engine, log } = deps;

  routes.add({
    method: "post",
    path: "/api/v1/printer/terminal",
    access: "terminal",
    summary: "Send G-code lines: {command} or {commands: [...]}; M112 is an emergency stop",
    handler: async ({ req, res }) => {
      const body = jsonBody(req, TERMINAL);
      const raw = "command" in body ? [body.command] : body.commands;
      // Without a firmware, Marlin's buffer: the state check below refuses the request then anyway.
      const maxLineLength = lineBufferOf(engine.snapshot());
      const lines = raw.map((line, i) =>
        terminalLine(line, maxLineLength, "command" in body ? "body.command" : `body.commands.${i}`),
      );
      requireState(engine, LINKED, "send G-code");
      res.status(202).json(await sendTerminalLines(engine, lines, log));
    },
  });
}
