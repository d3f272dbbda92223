import { z } from "zod";
import type { ApiDeps } from "../api-deps.ts";
import type { TemperaturesResponse } from "../contract.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { queryInt, queryOf } from "../v1/request-input.ts";
import { printerStateDto, temperaturesDto } from "../v1/state-dto.ts";

const TEMPERATURE_QUERY = z.strictObject({
  /** History window: the last N minutes (at most a day). */
  minutes: queryInt(1, 24 * 60).optional(),
  /** Only these heaters: `T0,B`. */
  heaters: z
    .string()
    .regex(
      /^[A-Za-z][A-Za-z0-9]{0,15}(,[A-Za-z][A-Za-z0-9]{0,15}){0,15}$/,
      "expected heater keys such as T0,B",
    )
    .optional(),
});

/** The printer at a glance: state, firmware, temperatures, the running job, an interrupted print. */
export function printerRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { engine } = deps;
  const now = deps.clock ?? Date.now;

  routes.add({
    method: "get",
    path: "/api/v1/printer",
    access: "state:read",
    summary: "State and why, firmware, temperatures, job and progress with ETA, interrupted print",
    handler: ({ res }) => {
      res.json(printerStateDto(engine.snapshot(), now()));
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/printer/temperatures",
    access: "state:read",
    summary: "Latest temperatures; with ?minutes=N also the recorded samples of that window",
    handler: ({ req, res }) => {
      const query = queryOf(req, TEMPERATURE_QUERY);
      const to = now();
      const history =
        query.minutes === undefined
          ? null
          : deps.history.temperaturesBetween(to - query.minutes * 60_000, to, query.heaters?.split(","));
      const body: TemperaturesResponse = {
        current: temperaturesDto(engine.snapshot().temperatures),
        history,
      };
      res.json(body);
    },
  });
}
