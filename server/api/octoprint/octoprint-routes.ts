import type { ApiDeps } from "../api-deps.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { connectionRoutes } from "./connection-routes.ts";
import { controlRoutes } from "./control-routes.ts";
import { fileRoutes } from "./file-routes.ts";
import { jobRoutes } from "./job-routes.ts";
import { createContext } from "./octoprint-context.ts";
import { printerRoutes } from "./printer-routes.ts";
import { serverRoutes } from "./server-routes.ts";
import { timelapseRoutes } from "./timelapse-routes.ts";
import { uploadRoute } from "./upload-route.ts";

/**
 * The subset of OctoPrint's REST API (pre-2.0 shapes) that PrusaSlicer, OrcaSlicer, Cura, Home
 * Assistant and the phone apps use, translated onto the engine, the file store and the access
 * control of the own API. Every route needs credentials (X-Api-Key, as the slicers send) except
 * `POST /api/login`; see docs/api.md "OctoPrint compatibility".
 */
export function octoprintRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const ctx = createContext(deps);
  serverRoutes(routes, ctx);
  connectionRoutes(routes, ctx);
  printerRoutes(routes, ctx);
  controlRoutes(routes, ctx);
  jobRoutes(routes, ctx);
  fileRoutes(routes, ctx);
  uploadRoute(routes, ctx);
  timelapseRoutes(routes, ctx);
}
