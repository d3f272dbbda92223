import { SETTINGS_PATCH } from "../../jobs/settings/settings-schema.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { SettingsResponse } from "../contract.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { jsonBody } from "../v1/request-input.ts";

/** The maker's settings: everyone signed in may read them (no secrets), admins change them. */
export function settingsRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { settings } = deps;

  routes.add({
    method: "get",
    path: "/api/v1/settings",
    access: "state:read",
    summary: "Serial defaults, temperature presets, pause behaviour",
    handler: ({ res }) => {
      const body: SettingsResponse = settings.get();
      res.json(body);
    },
  });

  routes.add({
    method: "patch",
    path: "/api/v1/settings",
    access: "settings:write",
    summary: "Change some settings (objects merge, the preset list is replaced); the result",
    handler: async ({ req, res }) => {
      const patch = jsonBody(req, SETTINGS_PATCH);
      const body: SettingsResponse = await settings.update(patch);
      res.json(body);
    },
  });
}
