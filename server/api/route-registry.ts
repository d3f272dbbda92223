import type { Request, Response } from "express";
import type { Permission } from "../auth/roles.ts";
import { HostError } from "../util/errors.ts";
import type { RequestIdentity } from "./identify.ts";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/**
 * Who may call a route. `public`: anyone (login, setup, health, discovery probes). `authenticated`:
 * any signed-in user, whatever the role (their own session, their own API keys). Otherwise the one
 * permission the route needs (server/auth/roles.ts).
 */
export type Access = "public" | "authenticated" | Permission;

export interface RouteContext {
  req: Request;
  res: Response;
  /** Null only on public routes called without credentials. */
  identity: RequestIdentity | null;
  /** The client's address, for throttling and logs. */
  ip: string;
}

export interface RouteSpec {
  method: HttpMethod;
  /** An express 5 path: `/api/v1/files/*path`, `/api/job`. */
  path: string;
  access: Access;
  /**
   * `json` (default): a JSON body of at most 100 KB is parsed into `req.body`. `stream`: the body is
   * left unread for the handler (uploads).
   */
  body?: "json" | "stream";
  /** Exempt from the CSRF token (not from the Origin check): login and setup, which have no session yet. */
  csrfExempt?: boolean;
  /** One line for docs and the route listing. */
  summary: string;
  handler: (ctx: RouteContext) => Promise<void> | void;
}

/** The signed-in user of a context; UNAUTHORIZED when there is none. */
export function userOf(ctx: RouteContext): RequestIdentity {
  if (ctx.identity === null) throw new HostError("UNAUTHORIZED", "log in first");
  return ctx.identity;
}

/**
 * Every HTTP route of the API, declared with the access it needs. Routes are installed only through
 * here, behind the edge guard (guard.ts), and the test that enumerates them reads this list.
 */
export class RouteRegistry {
  readonly #routes: RouteSpec[] = [];

  add(spec: RouteSpec): void {
    const clash = this.#routes.find((r) => r.method === spec.method && r.path === spec.path);
    if (clash !== undefined)
      throw new Error(`route ${spec.method.toUpperCase()} ${spec.path} is declared twice`);
    this.#routes.push(spec);
  }

  get routes(): readonly RouteSpec[] {
    return this.#routes;
  }
}
