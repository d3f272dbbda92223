import { z } from "zod";
import type { Permission, Role } from "../../auth/roles.ts";
import type { Engine } from "../../jobs/engine/engine.ts";
import { HostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import type { CommandsAccepted, PushClientEvents, SubscribeRequest } from "../contract.ts";
import { lineBufferOf, terminalLine } from "../v1/command-lines.ts";
import { sendTerminalLines } from "../v1/dispatch.ts";
import { LINKED, requireState } from "../v1/printer-states.ts";
import type { PushClient } from "./push-client.ts";

export interface SocketEventContext {
  client: PushClient;
  engine: Engine;
  log: Logger;
}

/**
 * One client → server event with the one permission it needs. The hub installs events only from
 * this registry, checks the permission (against the socket's credential as it stands at that
 * moment) before parsing or acting, and answers every event with a `PushAck`; the guard test
 * enumerates the list.
 */
export interface SocketEventSpec<I = unknown> {
  name: keyof PushClientEvents & string;
  access: Permission;
  /** One line for docs and the event listing. */
  summary: string;
  input: z.ZodType<I>;
  /** Resolves with the ack's `data` (null when there is nothing to say). */
  handler: (ctx: SocketEventContext, input: I) => Promise<unknown> | unknown;
}

/** The FORBIDDEN error for a role that lacks a permission. */
export function forbidden(role: Role, permission: Permission, what = "do this"): HostError {
  return new HostError(
    "FORBIDDEN",
    `a${role === "admin" ? "n" : ""} ${role} may not ${what} (needs ${permission})`,
  );
}

function define<I>(spec: SocketEventSpec<I>): SocketEventSpec {
  return spec as SocketEventSpec;
}

export const SOCKET_EVENTS: readonly SocketEventSpec[] = [
  define<SubscribeRequest>({
    name: "subscribe",
    access: "state:read",
    summary: "Choose the optional topics: terminal lines (needs the terminal permission)",
    input: z.object({ terminal: z.boolean() }).strict(),
    handler: ({ client }, input) => {
      if (input.terminal && !client.can("terminal"))
        throw forbidden(client.identity.role, "terminal", "read the terminal");
      client.terminal = input.terminal;
      return { terminal: client.terminal };
    },
  }),
  define<{ line: string }>({
    name: "terminal:send",
    access: "terminal",
    summary: "Send one G-code line to the printer, between print lines; M112 is an emergency stop",
    input: z.object({ line: z.string().max(4096) }).strict(),
    // The same checks and dispatch as POST /api/v1/printer/terminal (docs/api.md, "Terminal").
    handler: async ({ engine, log }, input): Promise<CommandsAccepted> => {
      const line = terminalLine(input.line, lineBufferOf(engine.snapshot()), "line");
      requireState(engine, LINKED, "send G-code");
      return sendTerminalLines(engine, [line], log);
    },
  }),
];
