import { z } from "zod";
import type { LoginResult } from "../../auth/types.ts";
import { HostError, isHostError } from "../../util/errors.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { endSession, setSessionCookie } from "../routes/session-routes.ts";
import { parseInput } from "../validate.ts";
import { baseUrl, type OctoContext } from "./octoprint-context.ts";
import { octoSettings, octoVersion } from "./settings-map.ts";
import { octoLogin, octoUser } from "./user-map.ts";

/** `{"user","pass","remember"}` or `{"passive":true}` (any value of `passive` counts, as in OctoPrint). */
const LOGIN = z.object({
  user: z.string().min(1).max(200).optional(),
  pass: z.string().min(1).max(4096).optional(),
  remember: z.union([z.boolean(), z.string()]).optional(),
  passive: z.unknown().optional(),
});

/** OctoPrint's core system actions; Layerwatch leaves the host machine alone. */
const CORE_ACTIONS = new Set(["shutdown", "reboot", "restart", "restart_safe"]);

/** Version, server, login/logout/current user, settings, time-lapses, system commands. */
export function serverRoutes(routes: RouteRegistry, ctx: OctoContext): void {
  const { deps } = ctx;

  routes.add({
    method: "get",
    path: "/api/version",
    access: "state:read",
    summary: "OctoPrint: API and server version (PrusaSlicer's connection test)",
    handler: ({ res }) => {
      res.json(octoVersion(deps.version));
    },
  });

  routes.add({
    method: "get",
    path: "/api/server",
    access: "state:read",
    summary: "OctoPrint: server version and safe mode (never)",
    handler: ({ res }) => {
      res.json({ version: deps.version, safemode: null });
    },
  });

  routes.add({
    method: "post",
    path: "/api/login",
    access: "public",
    csrfExempt: true,
    summary: "OctoPrint: log in with user/pass (session cookie), or passively with an API key or session",
    handler: async ({ req, res, identity, ip }) => {
      const body = parseInput(LOGIN, req.body ?? {});
      if (body.user !== undefined && body.pass !== undefined) {
        let login: LoginResult;
        try {
          login = await deps.auth.login({
            name: body.user,
            password: body.pass,
            ip,
            remember: body.remember === true || body.remember === "true",
            userAgent: req.get("user-agent"),
          });
        } catch (err) {
          // OctoPrint answers a wrong user or password with 403.
          if (isHostError(err, "UNAUTHORIZED")) throw new HostError("FORBIDDEN", err.message);
          throw err;
        }
        setSessionCookie(res, deps, login);
        res.json(octoLogin(login.session, "password"));
        return;
      }
      if (body.passive === undefined)
        throw new HostError("INVALID_INPUT", 'body: send "user" and "pass", or "passive": true');
      if (identity === null) throw new HostError("FORBIDDEN", "not logged in: send an API key (X-Api-Key)");
      res.json(octoLogin(identity, identity.via === "apiKey" ? "apikey" : "session"));
    },
  });

  routes.add({
    method: "post",
    path: "/api/logout",
    access: "authenticated",
    summary: "OctoPrint: end this session",
    handler: ({ req, res }) => {
      endSession(req, res, deps);
      res.status(204).end();
    },
  });

  routes.add({
    method: "get",
    path: "/api/currentuser",
    access: "authenticated",
    summary: "OctoPrint: the signed-in user with OctoPrint's permission and group names",
    handler: (route) => {
      const user = octoUser(userOf(route));
      route.res.json({ name: user.name, permissions: user.permissions, groups: user.groups });
    },
  });

  routes.add({
    method: "get",
    path: "/api/settings",
    access: "state:read",
    summary: "OctoPrint: webcam URLs, feature flags, install id (the part clients read)",
    handler: async ({ req, res }) => {
      res.json(
        octoSettings({
          base: baseUrl(req),
          installId: await ctx.installId(),
          version: deps.version,
          presets: deps.settings.get().temperaturePresets,
          camera: deps.settings.get().camera,
          timelapseEnabled: deps.settings.get().timelapse.mode !== "off",
        }),
      );
    },
  });

  routes.add({
    method: "get",
    path: "/api/system/commands",
    access: "state:read",
    summary: "OctoPrint: system commands (none: Layerwatch does not run host commands)",
    handler: ({ res }) => {
      res.json({ core: [], custom: [] });
    },
  });

  routes.add({
    method: "post",
    path: "/api/system/commands/:source/:action",
    access: "settings:write",
    summary: "OctoPrint: system commands; refused (400 for shutdown/reboot/restart, else 404)",
    handler: ({ req }) => {
      const { source, action } = req.params as { source: string; action: string };
      if (source === "core" && CORE_ACTIONS.has(action))
        throw new HostError(
          "INVALID_INPUT",
          `Layerwatch does not ${action.replace("_", " ")} the machine it runs on from the API; use the host's own tools (systemctl)`,
        );
      throw new HostError("NOT_FOUND", `no system command ${source}/${action}`);
    },
  });
}
