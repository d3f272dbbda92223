import { z } from "zod";
import type { JobRecord } from "../../jobs/history/types.ts";
import { HostError } from "../../util/errors.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { EventDto, HistoryJobDto, HistoryJobResponse, Page } from "../contract.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { PAGE, pageOf, queryInt, queryOf } from "../v1/request-input.ts";
import { thinSamples } from "../v1/state-dto.ts";
import { idParam } from "./id-param.ts";
import { timelapseUrls } from "./timelapse-urls.ts";

const JOBS = z.strictObject({
  ...PAGE,
  /** `none`: jobs without a result (running or interrupted). */
  result: z.enum(["done", "cancelled", "failed", "none"]).optional(),
});
const DEFAULT_MAX_SAMPLES = 2000;
const JOB = z.strictObject({
  /** Temperature samples per heater, at most (evenly thinned); default 2000. */
  maxSamples: queryInt(2, 100_000).optional(),
});
const EVENTS = z.strictObject({
  ...PAGE,
  /** Comma-separated kinds: `job,error`. */
  kind: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,31}(,[a-z][a-z0-9_-]{0,31}){0,15}$/, "expected kinds such as job,error")
    .optional(),
  /** ms since the epoch, inclusive. */
  since: queryInt(0, 1e15).optional(),
  until: queryInt(0, 1e15).optional(),
});

/** The API counts layers from 1, as the printer's display does. */
function jobDto(job: JobRecord): HistoryJobDto {
  const { timelapsePath: name, ...rest } = job;
  const timelapse = name === null ? null : { name, ...timelapseUrls(name) };
  return { ...rest, startLayer: job.startLayer + 1, timelapse };
}

/** Print history and the event log (`history:read`); deleting a record needs `settings:write`. */
export function historyRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { history } = deps;
  const now = deps.clock ?? Date.now;

  routes.add({
    method: "get",
    path: "/api/v1/history/jobs",
    access: "history:read",
    summary: "Print jobs, newest first (?limit, ?offset, ?result=done|cancelled|failed|none)",
    handler: ({ req, res }) => {
      const query = queryOf(req, JOBS);
      const { limit, offset } = pageOf(query);
      const result = query.result === undefined ? undefined : query.result === "none" ? null : query.result;
      const items = history.listJobs({ limit, offset, ...(result !== undefined ? { result } : {}) });
      const body: Page<HistoryJobDto> = {
        items: items.map(jobDto),
        total: history.countJobs(result),
        limit,
        offset,
      };
      res.json(body);
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/history/jobs/:id",
    access: "history:read",
    summary: "One job with its temperature samples (for the graph, ?maxSamples per heater) and events",
    handler: ({ req, res }) => {
      const id = idParam(req);
      const { maxSamples } = queryOf(req, JOB);
      const job = history.getJob(id);
      if (job === null) throw new HostError("NOT_FOUND", `no job ${id} in the history`);
      const body: HistoryJobResponse = {
        job: jobDto(job),
        temperatures: thinSamples(history.temperaturesForJob(id), maxSamples ?? DEFAULT_MAX_SAMPLES),
        events: history.eventsForJob(id),
      };
      res.json(body);
    },
  });

  routes.add({
    method: "delete",
    path: "/api/v1/history/jobs/:id",
    access: "settings:write",
    summary:
      "Delete a job record (admins: the history is the record of who printed what); 409 for the running job",
    handler: ({ req, res }) => {
      history.deleteJob(idParam(req));
      res.status(204).end();
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/history/events",
    access: "history:read",
    summary: "The event log, newest first (?limit, ?offset, ?kind=job,error, ?since, ?until in ms)",
    handler: ({ req, res }) => {
      const query = queryOf(req, EVENTS);
      const { limit, offset } = pageOf(query);
      const events = history.eventsBetween(query.since ?? 0, query.until ?? now(), query.kind?.split(","));
      const end = Math.max(0, events.length - offset);
      const items: EventDto[] = events.slice(Math.max(0, end - limit), end).reverse();
      const body: Page<EventDto> = { items, total: events.length, limit, offset };
      res.json(body);
    },
  });
}
