import type { Request, Response } from "express";
import { z } from "zod";
import { permissionsOf } from "../../auth/roles.ts";
import type { LoginResult } from "../../auth/types.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { HealthResponse, SessionResponse } from "../contract.ts";
import { serializeCookie } from "../cookies.ts";
import { credentialOf, type RequestIdentity, SESSION_COOKIE } from "../identify.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { parseInput } from "../validate.ts";

const LOGIN = z.object({
  name: z.string().min(1).max(200),
  password: z.string().min(1).max(4096),
  remember: z.boolean().optional(),
});
const SETUP = z.object({
  code: z.string().min(1).max(200),
  name: z.string().min(1).max(200),
  password: z.string().min(1).max(4096),
});

export function sessionResponse(identity: RequestIdentity): SessionResponse {
  return {
    user: { id: identity.userId, name: identity.name, role: identity.role },
    permissions: permissionsOf(identity.role),
    csrfToken: identity.via === "session" ? identity.csrfToken : null,
    via: identity.via,
    expiresAt: identity.via === "session" ? identity.expiresAt : null,
  };
}

/** Secure when configured, or when this request came over HTTPS (directly, or by a trusted proxy). */
function secureCookie(res: Response, deps: ApiDeps): boolean {
  return deps.http.secureCookies || res.req.secure;
}

export function setSessionCookie(res: Response, deps: ApiDeps, login: LoginResult): void {
  const { session } = login;
  const maxAgeSeconds = session.remember ? (session.expiresAt - session.createdAt) / 1000 : undefined;
  res.append(
    "Set-Cookie",
    serializeCookie(SESSION_COOKIE, login.token, {
      httpOnly: true,
      secure: secureCookie(res, deps),
      ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
    }),
  );
}

function clearSessionCookie(res: Response, deps: ApiDeps): void {
  res.append(
    "Set-Cookie",
    serializeCookie(SESSION_COOKIE, "", {
      httpOnly: true,
      secure: secureCookie(res, deps),
      maxAgeSeconds: 0,
    }),
  );
}

/** Logout: ends the request's session when it came with a session cookie, and clears the cookie. */
export function endSession(req: Request, res: Response, deps: ApiDeps): void {
  const credential = credentialOf(req.headers);
  if (credential?.kind === "session") deps.auth.logout(credential.token);
  clearSessionCookie(res, deps);
}

/** Health, first-boot setup, login and logout: the routes reachable before signing in. */
export function sessionRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { auth } = deps;

  routes.add({
    method: "get",
    path: "/api/v1/health",
    access: "public",
    summary: "Liveness, version, and whether first-boot setup is pending",
    handler: ({ res }) => {
      const body: HealthResponse = { ok: true, version: deps.version, needsSetup: auth.needsSetup() };
      res.json(body);
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/setup",
    access: "public",
    csrfExempt: true,
    summary: "Create the first admin with the one-time setup code from the daemon's log; logs them in",
    handler: async ({ req, res, ip }) => {
      const body = parseInput(SETUP, req.body);
      await auth.createFirstAdmin(body.code, body.name, body.password);
      const login = await auth.login({
        name: body.name,
        password: body.password,
        ip,
        userAgent: req.get("user-agent"),
      });
      setSessionCookie(res, deps, login);
      res.status(201).json(sessionResponse(login.session));
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/auth/login",
    access: "public",
    csrfExempt: true,
    summary: "Log in with name and password; sets the session cookie (30 days with remember)",
    handler: async ({ req, res, ip }) => {
      const body = parseInput(LOGIN, req.body);
      const login = await auth.login({
        name: body.name,
        password: body.password,
        ip,
        remember: body.remember === true,
        userAgent: req.get("user-agent"),
      });
      setSessionCookie(res, deps, login);
      res.json(sessionResponse(login.session));
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/auth/session",
    access: "authenticated",
    summary: "The signed-in user, their permissions and the CSRF token",
    handler: (ctx) => {
      ctx.res.json(sessionResponse(userOf(ctx)));
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/auth/logout",
    access: "authenticated",
    summary: "End this session",
    handler: ({ req, res }) => {
      endSession(req, res, deps);
      res.status(204).end();
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/auth/logout-everywhere",
    access: "authenticated",
    summary: "End every session of the signed-in user, on every device",
    handler: (ctx) => {
      const ended = auth.logoutEverywhere(userOf(ctx).userId);
      clearSessionCookie(ctx.res, deps);
      ctx.res.json({ sessionsEnded: ended });
    },
  });
}
