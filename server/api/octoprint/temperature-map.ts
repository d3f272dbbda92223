import type { TemperatureReport } from "../../gcode/responses/types.ts";
import type { TemperatureSample } from "../../jobs/history/types.ts";

/** One heater in OctoPrint's shape; `offset` is always 0 (Layerwatch keeps no host-side offsets). */
export interface OctoHeater {
  actual: number;
  target: number;
  offset: number;
}

export interface OctoHistoryEntry {
  /** Seconds since the epoch. */
  time: number;
  [heater: string]: { actual: number; target: number } | number;
}

/**
 * Our heater keys (canonicalised: `T0`, `T1`, `B`, `C`) as OctoPrint names them (`tool0`, `bed`,
 * `chamber`); sensors that are not heaters (`P`, `A`, …) have no OctoPrint name and are left out.
 */
export function octoHeaterName(key: string): string | null {
  const tool = /^T(\d+)$/.exec(key);
  if (tool !== null) return `tool${tool[1]}`;
  if (key === "B") return "bed";
  if (key === "C") return "chamber";
  return null;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * `temperature` of `/api/printer`. A heater without a reported target has target 0: Cura passes the
 * value on as a number.
 */
export function octoTemperatures(report: TemperatureReport): Record<string, OctoHeater> {
  const result: Record<string, OctoHeater> = {};
  for (const [key, reading] of Object.entries(report)) {
    const name = octoHeaterName(key);
    if (name === null) continue;
    result[name] = { actual: round(reading.actual), target: round(reading.target ?? 0), offset: 0 };
  }
  return result;
}

/** How many tools (`tool0` … `toolN`) a report names; Cura counts extruders this way. */
export function toolCount(report: TemperatureReport): number {
  return Object.keys(report).filter((key) => /^T\d+$/.test(key)).length;
}

/**
 * `temperature.history`: the samples grouped per second, oldest first, the last `limit` of them,
 * restricted to `heaters` (OctoPrint names) when given.
 */
export function octoHistory(
  samples: readonly TemperatureSample[],
  limit: number,
  heaters?: readonly string[],
): OctoHistoryEntry[] {
  const bySecond = new Map<number, OctoHistoryEntry>();
  for (const sample of samples) {
    const name = octoHeaterName(sample.heater);
    if (name === null || (heaters !== undefined && !heaters.includes(name))) continue;
    const time = Math.floor(sample.at / 1000);
    let entry = bySecond.get(time);
    if (entry === undefined) {
      entry = { time };
      bySecond.set(time, entry);
    }
    entry[name] = { actual: round(sample.actual), target: round(sample.target ?? 0) };
  }
  const entries = [...bySecond.values()].sort((a, b) => a.time - b.time);
  return entries.slice(Math.max(0, entries.length - limit));
}
