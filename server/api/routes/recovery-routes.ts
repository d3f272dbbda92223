import { z } from "zod";
import { HostError } from "../../util/errors.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { RecoveryResponse } from "../contract.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { IDLE, requireState } from "../v1/printer-states.ts";
import { EMPTY_BODY, jsonBody } from "../v1/request-input.ts";
import { interruptedDto } from "../v1/state-dto.ts";
import { sendStarted } from "./job-routes.ts";

const RESUME = z.strictObject({ layer: z.number().int().min(1) });

/**
 * An interrupted print (the daemon was killed, the power or the link was lost): see it, resume it
 * from a layer (1-based, as the printer's display counts), or forget it (`print:control`).
 */
export function recoveryRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { engine } = deps;

  const interrupted = () => {
    const point = engine.snapshot().interrupted;
    if (point === null) throw new HostError("NOT_FOUND", "there is no interrupted print");
    return point;
  };

  routes.add({
    method: "get",
    path: "/api/v1/recovery",
    access: "state:read",
    summary: "The interrupted print, if any: file, the layer it stopped in, why",
    handler: ({ res }) => {
      const body: RecoveryResponse = { interrupted: interruptedDto(engine.snapshot().interrupted) };
      res.json(body);
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/recovery/resume",
    access: "print:control",
    summary: "Resume the interrupted print from {layer} (1-based): heat, set Z, home X/Y, continue",
    handler: async (ctx) => {
      const { layer } = jsonBody(ctx.req, RESUME);
      const point = interrupted();
      // A layer after the one it stopped in was never printed: resuming there would leave a gap.
      if (layer > point.layer + 1)
        throw new HostError(
          "INVALID_INPUT",
          `body.layer: choose a layer from 1 to ${point.layer + 1} (where the print stopped)`,
        );
      requireState(engine, IDLE, "resume the interrupted print");
      sendStarted(ctx.res, await engine.resumeInterrupted(layer - 1, userOf(ctx).name), point.file);
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/recovery/discard",
    access: "print:control",
    summary: "Forget the interrupted print",
    handler: async ({ req, res }) => {
      jsonBody(req, EMPTY_BODY);
      interrupted();
      await engine.discardInterrupted();
      res.status(204).end();
    },
  });
}
