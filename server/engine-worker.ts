/**
 * Worker-thread entry of `WorkerEngine` (server/jobs/engine/worker-engine.ts): builds the printer
 * and job layer from the daemon's config (composeLocalEngine) and serves it to the main thread
 * through an EngineHost. Loaded through tsx's require hook: this module and its imports run as
 * CommonJS here (no top-level await).
 *
 * The worker opens its own connection to the history database (WAL: the main thread's connection
 * reads, prunes and marks interrupted jobs at start-up, before this one opens) and logs to stderr
 * with its own logger, synchronously, so a terminated worker loses no line.
 */
import { parentPort, workerData } from "node:worker_threads";
import pino from "pino";
import { composeLocalEngine, historyFile } from "./compose-engine.ts";
import type { DaemonConfig } from "./config.ts";
import { EngineHost } from "./jobs/engine/engine-host.ts";
import { HistoryDb } from "./jobs/history/history-db.ts";
import { createRootLogger, namespaced } from "./util/log.ts";

/** What the main thread hands the worker (see Daemon.start). */
export interface EngineWorkerData {
  config: DaemonConfig;
  /** Absolute. */
  dataDir: string;
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("engine-worker.ts runs only as a worker thread");
  const { config, dataDir } = workerData as EngineWorkerData;
  const log = createRootLogger({
    level: config.log.level,
    levels: config.log.levels,
    destination: pino.destination({ dest: 2, sync: true }),
  });
  const host = new EngineHost({ port, log: namespaced(log, "engine") });
  host.start();
  let history: HistoryDb | null = null;
  try {
    history = new HistoryDb({
      path: historyFile(dataDir),
      log,
      retentionDays: { temperatures: config.history.temperatureDays, events: config.history.eventDays },
    });
    history.open();
    const records = history;
    const composed = composeLocalEngine({
      config,
      dataDir,
      files: host.files,
      camera: host.camera,
      records,
      log,
    });
    await composed.engine.start();
    host.serve(composed.engine, async () => {
      try {
        await composed.stop();
      } finally {
        records.close();
      }
    });
  } catch (err) {
    history?.close();
    host.fail(err);
  }
}

void main();
