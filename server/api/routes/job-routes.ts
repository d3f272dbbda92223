import type { Response } from "express";
import { z } from "zod";
import type { PrinterState } from "../../printer/state-machine.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { JobActionAccepted, JobResponse, StartedJobResponse } from "../contract.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { GRACE_MS, settleWithin } from "../v1/dispatch.ts";
import { IDLE, requireState } from "../v1/printer-states.ts";
import { EMPTY_BODY, jsonBody } from "../v1/request-input.ts";
import { currentJobDto } from "../v1/state-dto.ts";

const START = z.strictObject({ file: z.string().min(1).max(1024) });

/** Where each job action is allowed; the engine checks again and throws INVALID_STATE (409). */
const ALLOWED: Record<JobActionAccepted["action"], readonly PrinterState[]> = {
  pause: ["printing"],
  resume: ["paused"],
  cancel: ["printing", "pausing", "paused", "resuming"],
};

/** 201 for a print that started, fresh or resumed, with its history record as the Location. */
export function sendStarted(res: Response, jobId: number, file: string): void {
  const body: StartedJobResponse = { jobId, file };
  res.status(201).location(`/api/v1/history/jobs/${jobId}`).json(body);
}

/** The print job (`print:control` to change it): start, pause, resume, cancel, emergency stop. */
export function jobRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { engine, log } = deps;
  const now = deps.clock ?? Date.now;

  routes.add({
    method: "get",
    path: "/api/v1/job",
    access: "state:read",
    summary: "The current job: file, progress with ETA, who paused it",
    handler: ({ res }) => {
      const { state, job } = engine.snapshot();
      const body: JobResponse = { state, job: currentJobDto(job, now()) };
      res.json(body);
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/job/start",
    access: "print:control",
    summary: "Print a stored {file}; 201 with the history id once it streams",
    handler: async (ctx) => {
      const { file } = jsonBody(ctx.req, START);
      requireState(engine, IDLE, "start a print");
      sendStarted(ctx.res, await engine.print(file, { user: userOf(ctx).name }), file);
    },
  });

  for (const action of ["pause", "resume", "cancel"] as const) {
    routes.add({
      method: "post",
      path: `/api/v1/job/${action}`,
      access: "print:control",
      summary: `${action[0]?.toUpperCase()}${action.slice(1)} the print; 202 while it runs on (the state shows when it is done)`,
      handler: async (ctx) => {
        const { req, res } = ctx;
        jsonBody(req, EMPTY_BODY);
        requireState(engine, ALLOWED[action], `${action} the print`);
        const task =
          action === "pause"
            ? engine.pause()
            : action === "resume"
              ? engine.resume()
              : engine.cancel(`cancelled by ${userOf(ctx).name}`);
        await settleWithin(task, GRACE_MS, log, `${action} the print`);
        const body: JobActionAccepted = { action, state: engine.snapshot().state };
        res.status(202).json(body);
      },
    });
  }

  routes.add({
    method: "post",
    path: "/api/v1/job/emergency-stop",
    access: "print:control",
    summary: "M112 at once, past every queue: the firmware halts, heaters off; reconnect afterwards",
    handler: async ({ req, res }) => {
      jsonBody(req, EMPTY_BODY);
      await engine.emergencyStop();
      res.status(204).end();
    },
  });
}
