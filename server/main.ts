import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ApiServer } from "./api/api-server.ts";
import { Discovery } from "./api/discovery/discovery.ts";
import { loadInstallId } from "./api/octoprint/install-id.ts";
import { AuthStore } from "./auth/auth-store.ts";
import { type ComposedCamera, composeCamera } from "./compose-camera.ts";
import { composeLocalEngine, historyFile } from "./compose-engine.ts";
import type { DaemonConfig } from "./config.ts";
import type { EngineWorkerData } from "./engine-worker.ts";
import { AnalysisWorkerPool } from "./jobs/analysis/analyze-in-worker.ts";
import type { JobCamera, JobFiles } from "./jobs/control/job-ports.ts";
import type { Engine } from "./jobs/engine/engine.ts";
import type { LocalEngine } from "./jobs/engine/local-engine.ts";
import { WorkerEngine } from "./jobs/engine/worker-engine.ts";
import { FileStore } from "./jobs/files/file-store.ts";
import { HistoryDb } from "./jobs/history/history-db.ts";
import type { RecoveryPoint } from "./jobs/recovery/recovery-point.ts";
import { DEFAULT_SETTINGS } from "./jobs/settings/settings-schema.ts";
import { SettingsStore } from "./jobs/settings/settings-store.ts";
import { loadFirmwareProfiles } from "./printer/firmware-profile.ts";
import { listSerialPorts } from "./serial/port-list.ts";
import { HostError } from "./util/errors.ts";
import { type Logger, namespaced } from "./util/log.ts";
import { daemonVersion } from "./util/version.ts";

export { VIRTUAL_PORT } from "./compose-engine.ts";

/** The engine worker's entry (see engine-worker.ts). */
const ENGINE_WORKER = fileURLToPath(new URL("./engine-worker.ts", import.meta.url));

/** The dashboard's build (web/), served as static assets when present. */
const WEB_DIST = fileURLToPath(new URL("../web/dist", import.meta.url));

/** Prune old temperature samples and events this often. */
const PRUNE_INTERVAL_MS = 24 * 3600_000;

export interface DaemonDeps {
  config: DaemonConfig;
  log: Logger;
}

/** What a started daemon is made of; present only between start() and stop(). */
export interface DaemonParts {
  auth: AuthStore;
  /** The HTTP API and push socket. */
  api: ApiServer;
  settings: SettingsStore;
  /** The printer and its jobs (in a worker thread, or in this one with `engine: "inline"`). */
  engine: Engine;
  /** The same engine's own parts (printer, job controller) with `engine: "inline"`; null with a worker. */
  local: LocalEngine | null;
  files: FileStore;
  /** This thread's connection to the history (reads, pruning); the engine writes through its own. */
  history: HistoryDb;
  /** The interrupted print found at start-up, if any (a crash, a power cut, a lost link). */
  interrupted: RecoveryPoint | null;
  /** The camera, time-lapse recording and rendering, and the time-lapse library. */
  media: ComposedCamera;
}

/**
 * The composition root: builds every module from the validated config and owns their lifetimes.
 * The constructor only assigns; start() connects in order; stop() undoes it in reverse.
 */
export class Daemon {
  readonly #deps: DaemonDeps;
  #parts: DaemonParts | null = null;
  #stopEngine: (() => Promise<void>) | null = null;
  #pruneTimer: NodeJS.Timeout | null = null;
  #analysis: AnalysisWorkerPool | null = null;
  #discovery: Discovery | null = null;

  constructor(deps: DaemonDeps) {
    this.#deps = deps;
  }

  get parts(): DaemonParts | null {
    return this.#parts;
  }

  async start(): Promise<void> {
    const { config, log } = this.#deps;
    const dataDir = path.resolve(config.dataDir);
    await mkdir(dataDir, { recursive: true });

    const history = new HistoryDb({
      path: historyFile(dataDir),
      log: namespaced(log, "history"),
      retentionDays: { temperatures: config.history.temperatureDays, events: config.history.eventDays },
    });
    history.open();
    // Before the engine opens its own connection and records anything.
    const closed = history.markInterrupted();
    if (closed.length > 0)
      log.warn({ jobs: closed }, "jobs left running by an earlier run are marked interrupted");
    const auth = new AuthStore({ path: path.join(dataDir, "auth.db"), log });
    auth.open();
    if (auth.needsSetup()) {
      // No default password, ever: the first admin needs this code (or `layerwatch user add`).
      log.warn(
        { setupCode: auth.setupCode() },
        "no users yet: create the first admin with this one-time setup code, or with 'layerwatch user add NAME --role admin'",
      );
    }

    const settings = new SettingsStore({
      file: path.join(dataDir, "settings.json"),
      log: namespaced(log, "settings"),
      defaults: {
        ...DEFAULT_SETTINGS,
        serial: {
          port: config.printer.port,
          baudRate: config.printer.baudRate,
          profile: config.printer.profile,
          autoconnect: true,
        },
        jobs: { park: config.jobs.park, coolAfterPauseMinutes: config.jobs.coolAfterPauseMinutes },
      },
    });
    // The maker's saved choices (dashboard) over the command line's defaults.
    const saved = await settings.load();

    let engine: Engine | null = null;
    const analysis = new AnalysisWorkerPool();
    this.#analysis = analysis;
    const files = new FileStore({
      root: path.join(dataDir, "files"),
      log: namespaced(log, "files"),
      maxUploadBytes: config.jobs.maxUploadMiB * 1024 * 1024,
      // Estimated with the connected firmware's motion limits; Marlin's defaults before it is known.
      analyze: (file) => {
        const motion = engine?.snapshot().firmware?.profile.motion;
        return analysis.analyze(file, motion !== undefined ? { motion } : {});
      },
      isPrinting: (rel) => engine?.snapshot().job?.file === rel,
    });
    await files.start();

    const engineConfig: DaemonConfig = {
      ...config,
      jobs: {
        ...config.jobs,
        park: saved.jobs.park,
        coolAfterPauseMinutes: saved.jobs.coolAfterPauseMinutes,
      },
    };
    const media = composeCamera({ dataDir, settings, log });
    const built = this.#buildEngine(engineConfig, dataDir, jobFiles(files), media.jobCamera, history);
    engine = built.engine;
    this.#stopEngine = built.stop;
    // Kept before the engine starts, so that stop() closes the stores if it fails to.
    const api = new ApiServer({
      engine,
      files,
      history,
      settings,
      auth,
      media: { camera: media.camera, timelapses: media.timelapses, library: media.library },
      log,
      version: daemonVersion(),
      dataDir,
      listPorts: () => listSerialPorts(),
      profiles: loadFirmwareProfiles(),
      http: {
        secureCookies: config.http.secureCookies,
        trustedOrigins: config.http.trustedOrigins,
        trustProxy: config.http.trustProxy,
        staticDir: WEB_DIST,
      },
    });
    const parts: DaemonParts = {
      auth,
      api,
      settings,
      engine,
      local: built.local,
      files,
      history,
      interrupted: null,
      media,
    };
    this.#parts = parts;
    await built.start();
    await media.start(engine, history);
    // The settings page's pause behaviour applies from the next pause or cancel, not the next start.
    settings.on("change", (next) => {
      const { park, coolAfterPauseMinutes } = next.jobs;
      engine
        ?.configure({ park, coolAfterPauseMs: coolAfterPauseMinutes * 60_000 })
        .catch((err: unknown) => log.warn({ err }, "the new job settings could not be applied"));
    });
    const interrupted = engine.snapshot().interrupted;
    parts.interrupted = interrupted;

    const serial = saved.serial;
    if (serial.autoconnect) {
      await engine.connect({
        port: serial.port,
        ...(serial.baudRate !== null ? { baudRate: serial.baudRate } : {}),
        ...(serial.profile !== null ? { profile: serial.profile } : {}),
        flow: config.printer.flow,
      });
    }
    await api.start({
      port: config.httpPort,
      ...(config.http.host !== null ? { host: config.http.host } : {}),
    });
    if (config.http.mdns) {
      this.#discovery = new Discovery({
        log: namespaced(log, "mdns"),
        port: api.port,
        version: daemonVersion(),
        uuid: await loadInstallId(dataDir),
      });
      this.#discovery.start();
    }
    this.#pruneTimer = setInterval(() => void history.prune(), PRUNE_INTERVAL_MS);
    this.#pruneTimer.unref();
    if (interrupted !== null) {
      log.warn(
        {
          file: interrupted.file,
          layer: interrupted.layer + 1,
          layers: interrupted.layerCount,
          z: interrupted.z,
          reason: interrupted.reason ?? "the daemon stopped during the print",
        },
        `an interrupted print can be resumed from layer ${interrupted.layer + 1} (or an earlier one), or discarded`,
      );
    }
  }

  /** The engine `config.engine` asks for: in a worker thread, or in this one. Not started. */
  #buildEngine(
    config: DaemonConfig,
    dataDir: string,
    files: JobFiles,
    camera: JobCamera,
    history: HistoryDb,
  ): { engine: Engine; local: LocalEngine | null; start(): Promise<void>; stop(): Promise<void> } {
    const { log } = this.#deps;
    if (config.engine === "inline") {
      const { engine, stop } = composeLocalEngine({ config, dataDir, files, camera, records: history, log });
      return { engine, local: engine, start: () => engine.start(), stop };
    }
    const workerData: EngineWorkerData = { config, dataDir };
    const engine = new WorkerEngine({ entry: ENGINE_WORKER, workerData, files, camera, log });
    return { engine, local: null, start: () => engine.start(), stop: () => engine.stop() };
  }

  async stop(): Promise<void> {
    const parts = this.#parts;
    this.#parts = null;
    if (this.#pruneTimer !== null) clearInterval(this.#pruneTimer);
    this.#pruneTimer = null;
    await this.#discovery?.stop();
    this.#discovery = null;
    await parts?.api.stop();
    await parts?.media.stop();
    await this.#stopEngine?.();
    this.#stopEngine = null;
    if (parts !== null) {
      await parts.files.stop();
      parts.history.close();
      parts.auth.close();
    }
    await this.#analysis?.close();
    this.#analysis = null;
  }
}

/** The file store as the job layer sees it. */
function jobFiles(files: FileStore): JobFiles {
  return {
    absolutePath: (file) => files.absolutePath(file),
    describe: async (file) => {
      const entry = await files.waitForAnalysis(file);
      if (entry.analysis.status !== "ready") {
        const why = entry.analysis.status === "failed" ? entry.analysis.error : "analysis pending";
        throw new HostError("UNSUPPORTED_FILE", `${file} cannot be printed: ${why}`);
      }
      return { hash: entry.hash, analysis: entry.analysis.analysis };
    },
  };
}
