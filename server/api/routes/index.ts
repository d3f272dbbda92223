import type { ApiDeps } from "../api-deps.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { apiKeyRoutes } from "./api-key-routes.ts";
import { sessionRoutes } from "./session-routes.ts";
import { userRoutes } from "./user-routes.ts";

/** Every route module; a module registers its routes (with their access) on the registry. */
const MODULES: ((routes: RouteRegistry, deps: ApiDeps) => void)[] = [sessionRoutes, userRoutes, apiKeyRoutes];

export function registerRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  for (const register of MODULES) register(routes, deps);
}
