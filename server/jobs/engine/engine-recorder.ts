import type { TemperatureReport } from "../../gcode/responses/types.ts";
import type { Logger } from "../../util/log.ts";
import type { JobRecords } from "../control/job-ports.ts";
import type { Engine, Unsubscribe } from "./engine.ts";

/** What the engine writes to the history: the job layer's records plus temperature samples. */
export interface EngineRecords extends JobRecords {
  recordTemperatures(report: TemperatureReport): void;
}

/** Temperatures are logged at most this often (the dashboard gets every report). */
const TEMPERATURE_LOG_MS = 10_000;

/**
 * Records the printer's side of the history from an engine's events, on the engine's own thread:
 * every temperature report (the store batches and thins them to 1 Hz), connections, firmware host
 * actions and failures; and logs state changes and, every 10 s, the temperatures.
 */
export function recordEngine(
  engine: Engine,
  records: EngineRecords,
  log: Logger,
  clock: () => number = Date.now,
): Unsubscribe {
  let lastTemperatureLog = Number.NEGATIVE_INFINITY;
  const offs = [
    engine.on("state", (change) => log.info({ from: change.from, to: change.to }, change.reason)),
    engine.on("temperatures", (report) => {
      records.recordTemperatures(report);
      const now = clock();
      if (now - lastTemperatureLog < TEMPERATURE_LOG_MS) return;
      lastTemperatureLog = now;
      const heaters = Object.entries(report).map(
        ([name, r]) => `${name} ${r.actual.toFixed(1)}/${r.target ?? 0}`,
      );
      log.info({ temperatures: report }, `temperatures ${heaters.join(", ")}`);
    }),
    engine.on("firmware", (info) =>
      records.recordEvent({ kind: "connect", message: `connected: ${info.name} (${info.profile.id})` }),
    ),
    engine.on("action", (action, params) =>
      records.recordEvent({ kind: "firmware", message: `//action:${action}${params ? ` ${params}` : ""}` }),
    ),
    engine.on("failure", (err) => {
      log.error({ code: err.code }, err.message);
      records.recordEvent({ kind: "error", message: err.message, data: { code: err.code } });
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}
