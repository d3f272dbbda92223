import type { TemperatureReport } from "./types.ts";

/** Numbered extruder keys `T0`, `T1`, … (the bare `T` is handled apart). */
const TOOL_KEY = /^T\d+$/;

/**
 * OctoPrint's `canonicalize_temperatures()` (`src/octoprint/util/comm.py`): fold the bare `T` key
 * into a numbered tool.
 * - only `T` (single extruder; Marlin M109 progress ` T:185.3 /210.0 B:59.6 /60.0 W:3`) → `T<currentTool>`;
 * - `T` and `T0` (Marlin multi-extruder ` T:210.0 /210.0 T0:210.0 /210.0 T1:25.3 /0.0 …`) → drop `T`,
 *   copying it to `T<currentTool>` first when that key is missing (a reported `T<n>` is trusted over `T`).
 *   Marlin's `@:` is the current tool's power (`print_heater_states()` prints the target extruder's), so
 *   a `T<currentTool>` without power takes `T`'s (Prusa `T:215.0 /215.0 … T0:215.0 /215.0 @:45 …`);
 * - `T` and `T1…` without `T0` (Smoothieware `T:210.0 /210.0 @0 T1:25.0 /0.0 @0 B:…`) → `T` is `T0`.
 * Other keys are copied unchanged. Returns a new object; `report` is not modified.
 */
export function canonicalizeTemperatures(report: TemperatureReport, currentTool: number): TemperatureReport {
  const result: TemperatureReport = {};
  let numberedTools = 0;
  let hasT0 = false;
  for (const [key, reading] of Object.entries(report)) {
    if (key === "T") continue;
    result[key] = { ...reading };
    if (TOOL_KEY.test(key)) {
      numberedTools++;
      if (key === "T0") hasT0 = true;
    }
  }
  const bare = Object.hasOwn(report, "T") ? report.T : undefined;
  if (bare === undefined) return result;
  const currentKey = `T${currentTool}`;
  if (numberedTools === 0) result[currentKey] = { ...bare };
  else if (hasT0) {
    const current = Object.hasOwn(result, currentKey) ? result[currentKey] : undefined;
    if (current === undefined) result[currentKey] = { ...bare };
    else if (current.power === undefined && bare.power !== undefined) current.power = bare.power;
  } else result.T0 = { ...bare };
  return result;
}
