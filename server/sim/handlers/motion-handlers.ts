import {
  type Handler,
  type HandlerContext,
  type HandlerResult,
  synchronize,
  waitUntil,
} from "../handler-types.ts";
import { applyLimitCommand } from "../motion-limits.ts";
import type { Axes } from "../motion-model.ts";
import { positionReport } from "../replies.ts";

/** `G28` takes about this long on a bed-slinger; `G29`/`G80` probe a mesh for about ten seconds. */
const HOMING_MS = 3000;
const LEVELING_MS = 10_000;

/**
 * G0/G1 (`Marlin/src/gcode/motion/G0_G1.cpp`): the `ok` goes out once the move is in the planner,
 * so while the planner is full the command waits for its oldest block to finish.
 */
export const linearMove: Handler = (ctx) => {
  const target = destination(ctx);
  const m = ctx.motion;
  const append = (): HandlerResult => {
    if (m.isFull()) return { at: m.nextFreeAt(), resume: append };
    m.move(target, m.feedrateMmS);
    return undefined;
  };
  return append();
};

/** G2 (clockwise) / G3 arcs around the I/J centre offset, or of radius R (`G2_G3.cpp`). */
export const arcMove: Handler = (ctx, command) => {
  const p = ctx.params;
  const from = { ...ctx.motion.position };
  const target = destination(ctx);
  const length = arcLength(from, target, p.num("I", 0), p.num("J", 0), p.value("R"), command.code === 2);
  const m = ctx.motion;
  const append = (): HandlerResult => {
    if (m.isFull()) return { at: m.nextFreeAt(), resume: append };
    m.arc(target, length, m.feedrateMmS);
    return undefined;
  };
  return append();
};

/** G4 P<ms> / S<s>: waits for the planner, then dwells (`G4.cpp`). */
export const dwell: Handler = (ctx) => {
  const ms = ctx.params.num("P", 0) + ctx.params.num("S", 0) * 1000;
  return synchronize(ctx, () => waitUntil(ctx, ctx.clock.now() + ctx.clock.span(ms), () => undefined));
};

/** G28 [X] [Y] [Z]: homes the named axes (all when none is named), then reports the position. */
export const home: Handler = (ctx) => {
  const p = ctx.params;
  const any = p.has("X") || p.has("Y") || p.has("Z");
  const axes = { x: !any || p.has("X"), y: !any || p.has("Y"), z: !any || p.has("Z") };
  return synchronize(ctx, () =>
    waitUntil(ctx, ctx.clock.now() + ctx.clock.span(HOMING_MS), () => {
      ctx.motion.home(axes);
      ctx.emit(positionReport(ctx.motion));
      return undefined;
    }),
  );
};

/** G29 (Marlin) / G80 (Prusa mesh bed leveling): a probing run. */
export const level: Handler = (ctx) =>
  synchronize(ctx, () => waitUntil(ctx, ctx.clock.now() + ctx.clock.span(LEVELING_MS), () => undefined));

export const absoluteMode: Handler = (ctx) => {
  ctx.motion.absolute = true;
  return undefined;
};

/** G91 makes every axis relative, E included (`set_relative_mode()`). */
export const relativeMode: Handler = (ctx) => {
  ctx.motion.absolute = false;
  return undefined;
};

export const absoluteExtrusion: Handler = (ctx) => {
  ctx.motion.relativeE = false;
  return undefined;
};

export const relativeExtrusion: Handler = (ctx) => {
  ctx.motion.relativeE = true;
  return undefined;
};

/** G92: renames the current position of the named axes. */
export const setPosition: Handler = (ctx) => {
  const p = ctx.params;
  const values: Partial<Axes> = {};
  for (const axis of ["X", "Y", "Z", "E"] as const) {
    const v = p.value(axis);
    if (v !== undefined) values[axis.toLowerCase() as keyof Axes] = v;
  }
  ctx.motion.setPosition(values);
  return undefined;
};

/** M201/M203/M204/M205: the planner's limits, for the moves planned after it. */
export const machineLimits: Handler = (ctx, command) => {
  applyLimitCommand(ctx.motion.limits, command.code, ctx.params);
  return undefined;
};

/** M400: waits until every planned move has finished. */
export const finishMoves: Handler = (ctx) => synchronize(ctx, () => undefined);

/** M114: the planned position and the stepper counts, then `ok`. */
export const reportPosition: Handler = (ctx) => {
  ctx.emit(positionReport(ctx.motion));
  return undefined;
};

/** M410 from the queue: drops every planned move. */
export const quickStop: Handler = (ctx) => {
  if (!ctx.config.capabilities.emergencyParser) ctx.motion.quickStop();
  return undefined;
};

function destination(ctx: HandlerContext): Axes {
  const p = ctx.params;
  const m = ctx.motion;
  const f = p.value("F");
  if (f !== undefined && f > 0) m.feedrateMmS = f / 60;
  const relative = !m.absolute;
  const relativeE = relative || m.relativeE;
  const axis = (letter: string, current: number, rel: boolean): number => {
    const v = p.value(letter);
    if (v === undefined) return current;
    return rel ? current + v : v;
  };
  const from = m.position;
  return {
    x: axis("X", from.x, relative),
    y: axis("Y", from.y, relative),
    z: axis("Z", from.z, relative),
    e: axis("E", from.e, relativeE),
  };
}

function arcLength(
  from: Axes,
  to: Axes,
  i: number,
  j: number,
  r: number | undefined,
  clockwise: boolean,
): number {
  const dz = to.z - from.z;
  if (r !== undefined) {
    const chord = Math.hypot(to.x - from.x, to.y - from.y);
    const radius = Math.max(Math.abs(r), chord / 2);
    const angle = 2 * Math.asin(Math.min(1, chord / (2 * radius)));
    return Math.hypot(radius * angle, dz);
  }
  const cx = from.x + i;
  const cy = from.y + j;
  const radius = Math.hypot(i, j);
  let sweep = Math.atan2(to.y - cy, to.x - cx) - Math.atan2(from.y - cy, from.x - cx);
  if (clockwise && sweep >= 0) sweep -= 2 * Math.PI;
  if (!clockwise && sweep <= 0) sweep += 2 * Math.PI;
  return Math.hypot(radius * Math.abs(sweep), dz);
}
