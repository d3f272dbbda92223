import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ApiDeps } from "../../../../server/api/api-deps.ts";
import { appKeyRoutes } from "../../../../server/api/appkeys/appkey-routes.ts";
import { octoprintRoutes } from "../../../../server/api/octoprint/octoprint-routes.ts";
import { sessionRoutes } from "../../../../server/api/routes/session-routes.ts";
import { AuthStore } from "../../../../server/auth/auth-store.ts";
import type { Role } from "../../../../server/auth/roles.ts";
import { analyzeGcodeFile } from "../../../../server/jobs/analysis/analyze-file.ts";
import { FileStore } from "../../../../server/jobs/files/file-store.ts";
import { HistoryDb } from "../../../../server/jobs/history/history-db.ts";
import { SettingsStore } from "../../../../server/jobs/settings/settings-store.ts";
import { silentLogger } from "../../../../server/util/log.ts";
import { serveRoutes } from "../../../helpers/route-server.ts";
import { FakeEngine } from "./fake-engine.ts";

export const PASSWORD = "correct horse battery";

/**
 * The OctoPrint and app-key routes on the real edge (app.ts), over a real AuthStore, FileStore,
 * HistoryDb and SettingsStore in a temp data directory, with a FakeEngine whose state the test sets.
 */
export interface OctoHarness {
  url: string;
  dataDir: string;
  engine: FakeEngine;
  auth: AuthStore;
  files: FileStore;
  history: HistoryDb;
  /** An API key of a new user with this role. */
  keyFor(name: string, role: Role): Promise<string>;
  stop(): Promise<void>;
}

export async function startOctoHarness(): Promise<OctoHarness> {
  const dataDir = await mkdtemp(join(tmpdir(), "layerwatch-octo-"));
  const log = silentLogger();
  const engine = new FakeEngine();
  const auth = new AuthStore({ path: join(dataDir, "auth.db"), log, scrypt: { N: 1024, r: 8, p: 1 } });
  auth.open();
  const files = new FileStore({
    root: join(dataDir, "files"),
    log,
    analyze: (path) => analyzeGcodeFile(path),
    isPrinting: (rel) => engine.snapshot().job?.file === rel,
  });
  await files.start();
  const history = new HistoryDb({ path: join(dataDir, "layerwatch.db"), log });
  history.open();
  const settings = new SettingsStore({ file: join(dataDir, "settings.json"), log });
  await settings.load();
  const deps: ApiDeps = {
    engine,
    files,
    history,
    settings,
    auth,
    log,
    version: "0.1.0-test",
    dataDir,
    listPorts: async () => [],
    profiles: [],
    http: { secureCookies: false, trustedOrigins: [], staticDir: null, trustProxy: false },
  };
  const server = await serveRoutes([sessionRoutes, octoprintRoutes, appKeyRoutes], deps);
  return {
    url: server.url,
    dataDir,
    engine,
    auth,
    files,
    history,
    async keyFor(name, role) {
      const user = await auth.createUser({ name, password: PASSWORD, role });
      return auth.createApiKey(user.id, "test").key;
    },
    async stop() {
      await server.close();
      await files.stop();
      history.close();
      auth.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
