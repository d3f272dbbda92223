import type { Handler, HandlerContext, HandlerResult } from "../handler-types.ts";
import { temperatureReport } from "../replies.ts";
import type { Heater } from "../thermal-model.ts";

/** TEMP_WINDOW / TEMP_BED_WINDOW / TEMP_CHAMBER_WINDOW (`Configuration.h`). */
const WINDOW_C = 1;
/** Wait lines come once a second (`Temperature::wait_for_hotend()`, `next_temp_ms = now + 1000`). */
const REPORT_MS = 1000;

/** M104/M140/M141 S<t>: sets a target, returns at once. */
export function setTarget(pick: (ctx: HandlerContext) => Heater | null): Handler {
  return (ctx) => {
    const heater = pick(ctx);
    const target = ctx.params.value("S") ?? ctx.params.value("R");
    if (heater !== null && target !== undefined) heater.setTarget(target);
    return undefined;
  };
}

/**
 * M109/M190/M191 S<t> (wait only when heating) or R<t> (wait either way), as
 * `Temperature::wait_for_hotend()` / `wait_for_bed()`: a line
 * ` T:185.30 /210.00 B:59.60 /60.00 @:127 B@:0 W:?` every second, `W:` counting the residency
 * seconds down once within the window; M108 ends the wait early. In zero time they return at once.
 */
export function setTargetAndWait(pick: (ctx: HandlerContext) => Heater | null): Handler {
  return (ctx) => {
    const heater = pick(ctx);
    const p = ctx.params;
    const target = p.value("S") ?? p.value("R");
    if (heater === null || target === undefined) return undefined;
    heater.setTarget(target);
    if (ctx.clock.zeroTime) return undefined;
    const cooling = heater.temperature() > heater.target;
    if (cooling && !p.has("R")) return undefined;
    ctx.beginInterruptibleWait();
    return heatWait(ctx, heater);
  };
}

function heatWait(ctx: HandlerContext, heater: Heater): HandlerResult {
  const residencyMs = ctx.clock.span(ctx.config.tempResidencySeconds * 1000);
  let nextReport = ctx.clock.now();
  let residencyStart: number | null = null;
  const step = (): HandlerResult => {
    if (ctx.waitBroken) return undefined;
    // The clock runs on between two reads: read it after reachTime(), whose "at once" is its own now.
    const reachAt = heater.reachTime(WINDOW_C);
    const now = ctx.clock.now();
    if (residencyStart === null && reachAt <= now) residencyStart = now;
    if (now >= nextReport) {
      const w =
        residencyStart === null ? "?" : String(Math.floor((residencyMs - (now - residencyStart)) / 1000));
      ctx.emit(`${temperatureReport(ctx.thermal)} W:${w}`);
      nextReport = now + REPORT_MS;
    }
    if (residencyStart !== null && now >= residencyStart + residencyMs) return undefined;
    // Cooling below ambient never arrives; Marlin gives up on a flat cooling slope, so do we.
    if (reachAt === Number.POSITIVE_INFINITY) return undefined;
    const check = residencyStart === null ? reachAt : residencyStart + residencyMs;
    return { at: Math.min(nextReport, check), resume: step };
  };
  return step();
}

/** M105: `ok T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0`, the report on the `ok` line itself. */
export const reportTemperatures: Handler = (ctx) => {
  ctx.emit(`ok${temperatureReport(ctx.thermal)}`);
  ctx.skipOk();
  return undefined;
};

/** M155 S<seconds>: temperature auto-report; S0 stops. */
export const autoreportTemperatures: Handler = (ctx) => {
  const s = ctx.params.value("S");
  if (s !== undefined) ctx.setTemperatureAutoreport(Math.max(0, Math.min(255, Math.floor(s))));
  return undefined;
};

export const hotend = (ctx: HandlerContext): Heater => ctx.thermal.hotend;
export const bed = (ctx: HandlerContext): Heater => ctx.thermal.bed;
export const chamber = (ctx: HandlerContext): Heater | null => ctx.thermal.chamber;
