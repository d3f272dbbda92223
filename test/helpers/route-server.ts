import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { ApiDeps } from "../../server/api/api-deps.ts";
import { createApp } from "../../server/api/app.ts";
import { RouteRegistry } from "../../server/api/route-registry.ts";

type RouteModule = (routes: RouteRegistry, deps: ApiDeps) => void;

export interface RouteServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Closes the server with every open connection. */
  close(): Promise<void>;
}

/** `modules` on the real HTTP edge (app.ts: helmet, guard, JSON errors), on a free port of 127.0.0.1. */
export async function serveRoutes(modules: readonly RouteModule[], deps: ApiDeps): Promise<RouteServer> {
  const registry = new RouteRegistry();
  for (const register of modules) register(registry, deps);
  const server = createServer(createApp(registry, deps));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
