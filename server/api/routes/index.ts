import type { ApiDeps } from "../api-deps.ts";
import { appKeyRoutes } from "../appkeys/appkey-routes.ts";
import { octoprintRoutes } from "../octoprint/octoprint-routes.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { apiKeyRoutes } from "./api-key-routes.ts";
import { cameraRoutes } from "./camera-routes.ts";
import { commandRoutes } from "./command-routes.ts";
import { connectionRoutes } from "./connection-routes.ts";
import { fileRoutes } from "./file-routes.ts";
import { fileWriteRoutes } from "./file-write-routes.ts";
import { historyRoutes } from "./history-routes.ts";
import { jobRoutes } from "./job-routes.ts";
import { printerRoutes } from "./printer-routes.ts";
import { recoveryRoutes } from "./recovery-routes.ts";
import { sessionRoutes } from "./session-routes.ts";
import { settingsRoutes } from "./settings-routes.ts";
import { terminalRoutes } from "./terminal-routes.ts";
import { timelapseRoutes } from "./timelapse-routes.ts";
import { userRoutes } from "./user-routes.ts";

/** Every route module; a module registers its routes (with their access) on the registry. */
const MODULES: ((routes: RouteRegistry, deps: ApiDeps) => void)[] = [
  sessionRoutes,
  userRoutes,
  apiKeyRoutes,
  connectionRoutes,
  printerRoutes,
  commandRoutes,
  terminalRoutes,
  fileRoutes,
  fileWriteRoutes,
  jobRoutes,
  historyRoutes,
  recoveryRoutes,
  settingsRoutes,
  cameraRoutes,
  timelapseRoutes,
  octoprintRoutes,
  appKeyRoutes,
];

export function registerRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  for (const register of MODULES) register(routes, deps);
}
