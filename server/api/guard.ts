import type { RequestHandler } from "express";
import type { AuthStore } from "../auth/auth-store.ts";
import { can } from "../auth/roles.ts";
import { HostError, isHostError } from "../util/errors.ts";
import { checkOrigin, identify, type RequestIdentity } from "./identify.ts";
import type { RouteSpec } from "./route-registry.ts";

export interface GuardDeps {
  auth: AuthStore;
  /** Origins besides the server's own that may send cookie requests (a reverse proxy's public URL). */
  trustedOrigins: readonly string[];
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** What the guard found, for the handler. */
export interface Admitted {
  identity: RequestIdentity | null;
}

/**
 * The edge: the one place that decides access, in front of every route.
 * 1. Credentials: API key (`X-Api-Key`, `Authorization: Bearer`) or the session cookie. Invalid ones
 *    are 401, except on public routes, which then see an anonymous caller.
 * 2. Access: 401 without credentials, 403 when the role lacks the route's permission.
 * 3. Cross-site requests: a state-changing request on a cookie session needs this server's Origin and
 *    the session's CSRF token in `X-CSRF-Token`; API-key requests carry no ambient credential and are
 *    exempt. A public POST from a browser (login, setup) must still come from this server's pages.
 */
export function guard(spec: RouteSpec, deps: GuardDeps): RequestHandler {
  return (req, res, next) => {
    let identity: RequestIdentity | null;
    try {
      identity = identify(deps.auth, req.headers);
    } catch (err) {
      if (spec.access !== "public" || !isHostError(err, "UNAUTHORIZED")) throw err;
      identity = null;
    }
    if (spec.access !== "public") {
      if (identity === null) throw new HostError("UNAUTHORIZED", "log in or send an API key (X-Api-Key)");
      if (spec.access !== "authenticated" && !can(identity.role, spec.access))
        throw new HostError(
          "FORBIDDEN",
          `a${identity.role === "admin" ? "n" : ""} ${identity.role} may not do this (needs ${spec.access})`,
        );
    }
    if (!SAFE_METHODS.has(req.method)) {
      if (identity?.via === "session") {
        checkOrigin(req.headers, deps.trustedOrigins);
        const token = req.get("x-csrf-token");
        if (!spec.csrfExempt && !deps.auth.checkCsrf(identity, token))
          throw new HostError("FORBIDDEN", "missing or wrong CSRF token (X-CSRF-Token)");
      } else if (
        identity === null &&
        (req.headers.origin !== undefined || req.headers.referer !== undefined)
      ) {
        checkOrigin(req.headers, deps.trustedOrigins);
      }
    }
    (res.locals as Admitted).identity = identity;
    next();
  };
}
