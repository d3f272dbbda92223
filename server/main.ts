import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { BindingInterface } from "@serialport/bindings-interface";
import { AuthStore } from "./auth/auth-store.ts";
import type { DaemonConfig } from "./config.ts";
import type { TemperatureReport } from "./gcode/responses/types.ts";
import { AnalysisWorkerPool } from "./jobs/analysis/analyze-in-worker.ts";
import { JobController } from "./jobs/control/job-controller.ts";
import { DEFAULT_JOB_SETTINGS, type JobFiles } from "./jobs/control/job-ports.ts";
import { FileStore } from "./jobs/files/file-store.ts";
import { HistoryDb } from "./jobs/history/history-db.ts";
import type { RecoveryPoint } from "./jobs/recovery/recovery-point.ts";
import { RecoveryStore } from "./jobs/recovery/recovery-store.ts";
import { loadFirmwareProfile, loadFirmwareProfiles } from "./printer/firmware-profile.ts";
import { Printer } from "./printer/printer.ts";
import { systemBinding } from "./serial/system-binding.ts";
import { createSimulatorBinding, defaultSimConfig, SimulatedPrinter } from "./sim/index.ts";
import { HostError } from "./util/errors.ts";
import { type Logger, namespaced } from "./util/log.ts";

/** The in-process simulated printer's device path (it exists only inside this process). */
export const VIRTUAL_PORT = "/dev/layerwatch-virtual";

/** Temperatures are logged at most this often (the dashboard gets every report). */
const TEMPERATURE_LOG_MS = 10_000;

/** Prune old temperature samples and events this often. */
const PRUNE_INTERVAL_MS = 24 * 3600_000;

export interface DaemonDeps {
  config: DaemonConfig;
  log: Logger;
}

/** What a started daemon is made of; present only between start() and stop(). */
export interface DaemonParts {
  auth: AuthStore;
  printer: Printer;
  files: FileStore;
  history: HistoryDb;
  recovery: RecoveryStore;
  jobs: JobController;
  /** The interrupted print found at start-up, if any (a crash, a power cut, a lost link). */
  interrupted: RecoveryPoint | null;
}

/**
 * The composition root: builds every module from the validated config and owns their lifetimes.
 * The constructor only assigns; start() connects in order; stop() undoes it in reverse.
 */
export class Daemon {
  readonly #deps: DaemonDeps;
  #simulator: SimulatedPrinter | null = null;
  #parts: DaemonParts | null = null;
  #pruneTimer: NodeJS.Timeout | null = null;
  #analysis: AnalysisWorkerPool | null = null;
  #lastTemperatureLog = 0;

  constructor(deps: DaemonDeps) {
    this.#deps = deps;
  }

  get parts(): DaemonParts | null {
    return this.#parts;
  }

  get printer(): Printer | null {
    return this.#parts?.printer ?? null;
  }

  async start(): Promise<void> {
    const { config, log } = this.#deps;
    const dataDir = path.resolve(config.dataDir);
    await mkdir(dataDir, { recursive: true });

    const history = new HistoryDb({
      path: path.join(dataDir, "layerwatch.db"),
      log: namespaced(log, "history"),
      retentionDays: { temperatures: config.history.temperatureDays, events: config.history.eventDays },
    });
    history.open();
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
    const recovery = new RecoveryStore({
      file: path.join(dataDir, "recovery.json"),
      log: namespaced(log, "recovery"),
    });
    const interrupted = await recovery.load();

    let jobs: JobController | null = null;
    let printer: Printer | null = null;
    const analysis = new AnalysisWorkerPool();
    this.#analysis = analysis;
    const files = new FileStore({
      root: path.join(dataDir, "files"),
      log: namespaced(log, "files"),
      maxUploadBytes: config.jobs.maxUploadMiB * 1024 * 1024,
      // Estimated with the connected firmware's motion limits; Marlin's defaults before it is known.
      analyze: (file) => {
        const motion = printer?.firmware?.profile.motion;
        return analysis.analyze(file, motion !== undefined ? { motion } : {});
      },
      isPrinting: (rel) => jobs?.currentFile === rel,
    });
    await files.start();

    printer = new Printer({ log, binding: this.#binding(), profiles: loadFirmwareProfiles() });
    jobs = new JobController({
      printer,
      files: jobFiles(files),
      records: history,
      recovery,
      log: namespaced(log, "jobs"),
      settings: {
        ...DEFAULT_JOB_SETTINGS,
        park: config.jobs.park,
        coolAfterPauseMs: config.jobs.coolAfterPauseMinutes * 60_000,
        cacheDir: path.join(dataDir, "cache"),
      },
    });
    this.#parts = { auth, printer, files, history, recovery, jobs, interrupted };
    this.#observe(printer, history);

    const { printer: p } = config;
    await printer.connect({
      path: p.port === "virtual" ? VIRTUAL_PORT : p.port,
      ...(p.baudRate !== null ? { baudRate: p.baudRate } : {}),
      ...(p.profile !== null ? { profile: p.profile } : {}),
      flow: p.flow,
    });
    jobs.start();
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

  async stop(): Promise<void> {
    const parts = this.#parts;
    this.#parts = null;
    if (this.#pruneTimer !== null) clearInterval(this.#pruneTimer);
    this.#pruneTimer = null;
    if (parts !== null) {
      await parts.jobs.stop();
      await parts.printer.disconnect();
    }
    await this.#simulator?.stop();
    this.#simulator = null;
    if (parts !== null) {
      await parts.files.stop();
      parts.history.close();
      parts.auth.close();
    }
    await this.#analysis?.close();
    this.#analysis = null;
  }

  #observe(printer: Printer, history: HistoryDb): void {
    const printerLog = namespaced(this.#deps.log, "printer");
    printer.on("state", (change) => printerLog.info({ from: change.from, to: change.to }, change.reason));
    printer.on("temperatures", (report) => {
      history.recordTemperatures(report);
      this.#logTemperatures(printerLog, report);
    });
    printer.on("firmware", (info) =>
      history.recordEvent({ kind: "connect", message: `connected: ${info.name} (${info.profile.id})` }),
    );
    printer.on("action", (action, params) =>
      history.recordEvent({ kind: "firmware", message: `//action:${action}${params ? ` ${params}` : ""}` }),
    );
    printer.on("failure", (err) => {
      printerLog.error({ code: err.code }, err.message);
      history.recordEvent({ kind: "error", message: err.message, data: { code: err.code } });
    });
  }

  #binding(): BindingInterface {
    const { config } = this.#deps;
    if (config.printer.port !== "virtual") return systemBinding();
    // A Marlin 2 board as shipped on 32-bit printers: temperature auto-reports and ADVANCED_OK on.
    const defaults = defaultSimConfig(loadFirmwareProfile("marlin-2"));
    const simulator = new SimulatedPrinter({
      ...defaults,
      speed: config.printer.simSpeed,
      capabilities: { ...defaults.capabilities, autoreportTemp: true, advancedOk: true },
      record: { file: null, inMemory: false },
    });
    simulator.start();
    this.#simulator = simulator;
    const { binding, register } = createSimulatorBinding();
    register(VIRTUAL_PORT, simulator);
    return binding;
  }

  #logTemperatures(log: Logger, report: TemperatureReport): void {
    const now = Date.now();
    if (now - this.#lastTemperatureLog < TEMPERATURE_LOG_MS) return;
    this.#lastTemperatureLog = now;
    const heaters = Object.entries(report).map(
      ([name, r]) => `${name} ${r.actual.toFixed(1)}/${r.target ?? 0}`,
    );
    log.info({ temperatures: report }, `temperatures ${heaters.join(", ")}`);
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
