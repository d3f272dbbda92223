import { resolve } from "node:path";
import { scratchDir } from "../../bench/processes.ts";
import type { Role } from "../../server/auth/roles.ts";
import { type DaemonConfig, type DeepPartial, loadConfig } from "../../server/config.ts";
import { Daemon, type DaemonParts } from "../../server/main.ts";
import { silentLogger } from "../../server/util/log.ts";
import { ApiClient } from "./api-client.ts";

export const ADMIN = { name: "admin", password: "correct horse battery staple" };
/** Every user the helpers create has this password. */
export const PASSWORD = "a long enough test password";

export interface TestDaemonOptions {
  engine?: "inline" | "worker";
  /** The simulated printer's time factor (default 20). */
  simSpeed?: number;
  config?: DeepPartial<DaemonConfig>;
  /** Create the first admin through the setup route (default true). */
  setupAdmin?: boolean;
}

export interface TestDaemon {
  /** `http://127.0.0.1:<port>` */
  url: string;
  daemon: Daemon;
  parts: DaemonParts;
  /** The daemon's data directory (absolute). */
  dataDir: string;
  /** Logged in as ADMIN (a client without a session when setupAdmin is false). */
  admin: ApiClient;
  /** The one-time setup code (null once the admin exists). */
  setupCode: string | null;
  client(): ApiClient;
  stop(): Promise<void>;
}

/**
 * The real daemon, with the built-in simulated printer and a real HTTP port on 127.0.0.1; the first
 * admin is created through the setup route with the code the daemon logs.
 */
export async function startTestDaemon(options: TestDaemonOptions = {}): Promise<TestDaemon> {
  const overrides = options.config ?? {};
  const config = loadConfig({
    ...overrides,
    dataDir: overrides.dataDir ?? scratchDir("api"),
    engine: options.engine ?? overrides.engine ?? "inline",
    httpPort: 0,
    // The engine's worker thread logs through its own logger, made from this level.
    log: { level: "silent", ...overrides.log },
    http: { host: "127.0.0.1", mdns: false, ...overrides.http },
    printer: { port: "virtual", simSpeed: options.simSpeed ?? 20, ...overrides.printer },
  });
  const daemon = new Daemon({ config, log: silentLogger() });
  await daemon.start();
  const parts = daemon.parts;
  if (parts === null) throw new Error("the daemon did not start");
  const url = `http://127.0.0.1:${parts.api.port}`;
  const code = parts.auth.setupCode();
  const admin = new ApiClient(url);
  if (options.setupAdmin !== false) await admin.setup(code, ADMIN.name, ADMIN.password);
  return {
    url,
    daemon,
    parts,
    dataDir: resolve(config.dataDir),
    admin,
    setupCode: options.setupAdmin === false ? code : null,
    client: () => new ApiClient(url),
    stop: () => daemon.stop(),
  };
}

/** A new user of `role`, logged in through the API. */
export async function addUser(t: TestDaemon, name: string, role: Role): Promise<ApiClient> {
  await t.parts.auth.createUser({ name, password: PASSWORD, role });
  const client = t.client();
  await client.login(name, PASSWORD);
  return client;
}

/** A new user of `role` and an API key of theirs. */
export async function apiKeyFor(t: TestDaemon, name: string, role: Role): Promise<string> {
  const user = await t.parts.auth.createUser({ name, password: PASSWORD, role });
  return t.parts.auth.createApiKey(user.id, `${name}'s key`).key;
}
