import { type Handler, type HandlerResult, synchronize } from "../handler-types.ts";
import { firmwareInfoLines, MSG } from "../replies.ts";

/** M110 N<n>: the next expected line number is n + 1 (`Marlin/src/gcode/host/M110.cpp`). */
export const setLineNumber: Handler = (ctx) => {
  const n = ctx.params.value("N");
  if (n !== undefined) ctx.setLastLineNumber(Math.trunc(n));
  return undefined;
};

/** M112 from the queue (without EMERGENCY_PARSER it may also be caught early on arrival). */
export const emergencyStop: Handler = (ctx) => {
  if (ctx.config.capabilities.emergencyParser) return undefined;
  ctx.kill(MSG.killed);
  return undefined;
};

/** M108 from the queue: whatever it could break has already finished, so it only acknowledges. */
export const cancelWait: Handler = () => undefined;

/** M999: back to running, then `Resend: <last+1>` and `ok`, then the command's own `ok` (`M999.cpp`). */
export const restart: Handler = (ctx) => {
  if (!ctx.params.has("S")) ctx.requestResend();
  return undefined;
};

/** M113 [S<seconds>]: the keepalive interval; without S it reports it. */
export const keepaliveInterval: Handler = (ctx) => {
  const s = ctx.params.value("S");
  if (s === undefined) ctx.emit(`echo:M113 S${ctx.config.keepaliveSeconds}`);
  else ctx.setKeepaliveInterval(Math.max(0, Math.min(60, Math.floor(s))));
  return undefined;
};

/** M115: identity and `Cap:` lines (`M115.cpp`). */
export const firmwareInfo: Handler = (ctx) => {
  for (const line of firmwareInfoLines(ctx.config)) ctx.emit(line);
  return undefined;
};

/**
 * M118 [A1] [E1] [Pn] <text> (`Marlin/src/gcode/host/M118.cpp`): E1 prefixes `echo:`, A1 `//`.
 * Marlin's form is `M118 A1 action:pause` → `//action:pause`; as a shorthand for tests, text that
 * does not start with `action:` gets it: `M118 A1 pause` → `//action:pause`.
 */
export const hostMessage: Handler = (ctx, command) => {
  let text = command.args;
  let action = false;
  let echo = false;
  for (let i = 0; i < 3; i++) {
    const m = /^(A1|E1|P\d)\s*/.exec(text);
    if (m === null) break;
    if (m[1] === "A1") action = true;
    if (m[1] === "E1") echo = true;
    text = text.slice(m[0].length);
  }
  let line = text;
  if (action) line = text.startsWith("action:") ? `//${text}` : `//action:${text}`;
  ctx.emit(echo ? `echo:${line}` : line);
  return undefined;
};

/** M154 S<seconds>: position auto-report; S0 stops. */
export const autoreportPosition: Handler = (ctx) => {
  const s = ctx.params.value("S");
  if (s !== undefined) ctx.setPositionAutoreport(Math.max(0, Math.min(255, Math.floor(s))));
  return undefined;
};

/**
 * M600 filament change, simplified: waits for the planner, announces `//action:paused` (with
 * HOST_ACTION_COMMANDS), then "waits for the user" (`busy: paused for user` keepalives) for
 * `filamentChangeMs` of simulated time or until M108, announces `//action:resumed` and acknowledges.
 */
export const filamentChange: Handler = (ctx) =>
  synchronize(ctx, () => {
    const actions = ctx.config.capabilities.hostActionCommands;
    if (actions) ctx.emit("//action:paused");
    ctx.beginInterruptibleWait();
    const end = ctx.clock.now() + ctx.clock.span(ctx.config.filamentChangeMs);
    const done = (): HandlerResult => {
      if (actions) ctx.emit("//action:resumed");
      return undefined;
    };
    const wait = (): HandlerResult => {
      if (ctx.waitBroken || ctx.clock.now() >= end) return done();
      return { at: end, busy: "paused for user", resume: wait };
    };
    return wait();
  });

/** T<n>: one extruder only (`tool_change()` → `invalid_extruder_error()`). */
export const selectTool: Handler = (ctx, command) => {
  if (command.code !== 0) ctx.emit(`echo:T${command.code} Invalid extruder`);
  return undefined;
};

/** Accepted and acknowledged with nothing else to do in a simulation (fans, limits, LCD text, …). */
export const acknowledge: Handler = () => undefined;
