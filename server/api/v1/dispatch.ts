import type { Engine } from "../../jobs/engine/engine.ts";
import type { Logger } from "../../util/log.ts";
import type { CommandsAccepted } from "../contract.ts";
import type { TerminalLine } from "./command-lines.ts";

/**
 * How long a request waits for an engine call to be refused at once (not connected, a state the
 * engine forbids, a line the firmware cannot take) before it answers 202 and lets the call finish in
 * the background. Long commands (homing, a pause that waits for the moves in the planner) would
 * otherwise hold the request for seconds.
 */
export const GRACE_MS = 200;

/**
 * Waits up to `ms` for `task`: "done" when it resolved by then, "pending" when it still runs (a later
 * failure is logged: the state and events show it), and rejects with its error when it failed by then.
 */
export async function settleWithin(
  task: Promise<unknown>,
  ms: number,
  log: Logger,
  what: string,
): Promise<"done" | "pending"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"pending">((resolve) => {
    timer = setTimeout(() => resolve("pending"), ms);
  });
  const outcome = await Promise.race([task.then(() => "done" as const), late]).finally(() =>
    clearTimeout(timer),
  );
  if (outcome === "pending")
    task.catch((err: unknown) => log.warn({ err, what }, `${what} failed after the request was answered`));
  return outcome;
}

/**
 * Queues `lines` as interactive commands, all in the same turn so no other request's lines come
 * between them (a jog's G91 … G90 stays together), and waits GRACE_MS for a refusal.
 */
export function sendLines(
  engine: Engine,
  lines: readonly string[],
  log: Logger,
): Promise<"done" | "pending"> {
  const sent = Promise.all(lines.map((line) => engine.send(line)));
  return settleWithin(sent, GRACE_MS, log, lines.join(" | "));
}

/**
 * Terminal lines checked by `terminalLine`. An M112 among them is an emergency stop at once, past
 * every queue, and nothing else is sent; otherwise all are queued as `sendLines` queues them.
 */
export async function sendTerminalLines(
  engine: Engine,
  lines: readonly TerminalLine[],
  log: Logger,
): Promise<CommandsAccepted> {
  if (lines.some((line) => line.kind === "emergency")) {
    await engine.emergencyStop();
    return { commands: ["M112"], emergencyStop: true };
  }
  const commands = lines.flatMap((line) => (line.kind === "send" ? [line.command] : []));
  await sendLines(engine, commands, log);
  return { commands };
}
