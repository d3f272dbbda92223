import { z } from "zod";
import type { Permission, Role } from "../../auth/roles.ts";
import type { Engine } from "../../jobs/engine/engine.ts";
import { HostError } from "../../util/errors.ts";
import type { PushClientEvents, SubscribeRequest } from "../contract.ts";
import type { PushClient } from "./push-client.ts";

export interface SocketEventContext {
  client: PushClient;
  engine: Engine;
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

/** A G-code line as the terminal sends it: one line, so no CR or LF can smuggle in a second command. */
const LINE = z
  .string()
  .trim()
  .min(1, "an empty line")
  .max(256)
  .regex(/^[^\r\n]*$/, "one line only (no CR or LF)");

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
    summary: "Send one G-code line to the printer, between print lines",
    input: z.object({ line: LINE }).strict(),
    handler: async ({ engine }, input) => {
      await engine.send(input.line);
      return null;
    },
  }),
];
