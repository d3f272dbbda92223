import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";
import { HostError } from "../util/errors.ts";
import { namespaced } from "../util/log.ts";
import type { ApiDeps } from "./api-deps.ts";
import { createApp } from "./app.ts";
import { PushHub } from "./push/push-hub.ts";
import { SOCKET_EVENTS, type SocketEventSpec } from "./push/socket-events.ts";
import { RouteRegistry, type RouteSpec } from "./route-registry.ts";
import { registerRoutes } from "./routes/index.ts";

export interface ListenOptions {
  port: number;
  /** Default: every interface (the phone is on the LAN). */
  host?: string;
}

/**
 * The HTTP API and push socket on one port. The constructor only assigns; start() builds the app and
 * listens; stop() closes connections and the server.
 */
export class ApiServer {
  readonly #deps: ApiDeps;
  readonly #registry = new RouteRegistry();
  #server: Server | null = null;
  #app: Express | null = null;
  #push: PushHub | null = null;

  constructor(deps: ApiDeps) {
    this.#deps = deps;
  }

  /** Every HTTP route with its access (what the guard test enumerates). */
  get routes(): readonly RouteSpec[] {
    return this.#registry.routes;
  }

  /** Every push-socket client event with its permission (what the guard test enumerates). */
  get socketEvents(): readonly SocketEventSpec[] {
    return SOCKET_EVENTS;
  }

  /** The bound port (useful with port 0). */
  get port(): number {
    const address = this.#server?.address();
    if (address === null || address === undefined || typeof address === "string")
      throw new HostError("INVALID_STATE", "the API server is not listening");
    return (address as AddressInfo).port;
  }

  async start(options: ListenOptions): Promise<void> {
    const log = namespaced(this.#deps.log, "api");
    const deps = { ...this.#deps, log };
    registerRoutes(this.#registry, deps);
    this.#app = createApp(this.#registry, deps);
    const server = createServer(this.#app);
    // Slow-loris and idle keep-alive limits; uploads of large files are still allowed to take long.
    server.headersTimeout = 20_000;
    server.requestTimeout = 0;
    server.keepAliveTimeout = 5_000;
    this.#server = server;
    this.#push = new PushHub({ ...deps, trustedOrigins: deps.http.trustedOrigins });
    this.#push.attach(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) =>
        reject(
          err.code === "EADDRINUSE"
            ? new HostError(
                "CONFIG",
                `port ${options.port} is in use: is another daemon running? (--http-port)`,
              )
            : err,
        ),
      );
      server.listen(options.port, options.host, () => resolve());
    });
    log.info({ port: this.port }, `listening on http://localhost:${this.port}`);
  }

  async stop(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    await this.#push?.close();
    this.#push = null;
    if (server === null) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
