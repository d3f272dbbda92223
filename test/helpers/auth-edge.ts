import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiDeps } from "../../server/api/api-deps.ts";
import { apiKeyRoutes } from "../../server/api/routes/api-key-routes.ts";
import { sessionRoutes } from "../../server/api/routes/session-routes.ts";
import { userRoutes } from "../../server/api/routes/user-routes.ts";
import { AuthStore } from "../../server/auth/auth-store.ts";
import type { Role } from "../../server/auth/roles.ts";
import type { SessionRules } from "../../server/auth/types.ts";
import { silentLogger } from "../../server/util/log.ts";
import { ApiClient } from "./api-client.ts";
import { serveRoutes } from "./route-server.ts";

export const EDGE_PASSWORD = "correct horse battery";

/**
 * The HTTP edge (app.ts: helmet, guard, JSON errors) with only the access-control routes (session,
 * users, API keys) over a real AuthStore and a real port: no printer, no engine. The clock is driven
 * by hand (`edge.now`), so session expiry can be tested without waiting.
 */
export interface AuthEdge {
  url: string;
  auth: AuthStore;
  /** The path of auth.db. */
  dbPath: string;
  /** ms since the epoch as the auth store sees it; move it forward to age sessions. */
  now: number;
  /** "ada", an admin made through the setup code, logged in. */
  admin: ApiClient;
  /** A new user with EDGE_PASSWORD, logged in on a client of their own. */
  addUser(name: string, role: Role): Promise<ApiClient>;
  stop(): Promise<void>;
}

export async function startAuthEdge(sessions: Partial<SessionRules> = {}): Promise<AuthEdge> {
  const dir = await mkdtemp(join(tmpdir(), "layerwatch-edge-"));
  const dbPath = join(dir, "auth.db");
  let now = Date.UTC(2025, 0, 1);
  const auth = new AuthStore({
    path: dbPath,
    log: silentLogger(),
    clock: () => now,
    sessions,
    // Cheap scrypt: these tests hash many times; the default cost is tested with the store.
    scrypt: { N: 1024, r: 8, p: 1 },
  });
  auth.open();
  // createApp and these three route modules read only auth, log, http and version: the printer-side
  // dependencies are left out on purpose, so a route that reached for them would fail loudly.
  const deps = {
    auth,
    log: silentLogger(),
    version: "0.0.0-test",
    http: { secureCookies: false, trustedOrigins: [], staticDir: null, trustProxy: false },
  } as unknown as ApiDeps;
  const server = await serveRoutes([sessionRoutes, userRoutes, apiKeyRoutes], deps);
  const { url } = server;

  const admin = new ApiClient(url);
  await admin.setup(auth.setupCode(), "ada", EDGE_PASSWORD);

  return {
    url,
    auth,
    dbPath,
    get now() {
      return now;
    },
    set now(value: number) {
      now = value;
    },
    admin,
    async addUser(name, role) {
      await auth.createUser({ name, password: EDGE_PASSWORD, role });
      const client = new ApiClient(url);
      await client.login(name, EDGE_PASSWORD);
      return client;
    },
    async stop() {
      await server.close();
      auth.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
