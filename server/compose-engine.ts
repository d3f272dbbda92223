import path from "node:path";
import type { BindingInterface, OpenOptions } from "@serialport/bindings-interface";
import type { DaemonConfig } from "./config.ts";
import { JobController } from "./jobs/control/job-controller.ts";
import { DEFAULT_JOB_SETTINGS, type JobCamera, type JobFiles } from "./jobs/control/job-ports.ts";
import type { EngineRecords } from "./jobs/engine/engine-recorder.ts";
import { LocalEngine } from "./jobs/engine/local-engine.ts";
import { RecoveryStore } from "./jobs/recovery/recovery-store.ts";
import { loadFirmwareProfile, loadFirmwareProfiles } from "./printer/firmware-profile.ts";
import { Printer } from "./printer/printer.ts";
import { systemBinding } from "./serial/system-binding.ts";
import { createSimulatorBinding, defaultSimConfig, SimulatedPrinter } from "./sim/index.ts";
import { type Logger, namespaced } from "./util/log.ts";

/**
 * The printer and job layer of one daemon, built from the config: the same composition runs in the
 * main thread (`engine: "inline"`) and in the engine's worker thread (server/engine-worker.ts).
 */

/** The in-process simulated printer's device path (it exists only inside the engine's thread). */
export const VIRTUAL_PORT = "/dev/layerwatch-virtual";

/** The history database in a data directory (the main thread and the engine's worker each open it). */
export function historyFile(dataDir: string): string {
  return path.join(dataDir, "layerwatch.db");
}

export interface ComposeEngineDeps {
  config: DaemonConfig;
  /** Absolute. */
  dataDir: string;
  files: JobFiles;
  /** Stabilized time-lapse frames (the camera lives on the main thread). */
  camera?: JobCamera;
  records: EngineRecords;
  log: Logger;
}

export interface ComposedEngine {
  engine: LocalEngine;
  /** Stops the engine, then the simulated printer if one was started. */
  stop(): Promise<void>;
}

export function composeLocalEngine(deps: ComposeEngineDeps): ComposedEngine {
  const { config, dataDir, files, camera, records, log } = deps;
  const link = printerLink(config.printer.simSpeed, config.printer.simRecordFile);
  const printer = new Printer({ log, binding: link.binding, profiles: loadFirmwareProfiles() });
  const recovery = new RecoveryStore({
    file: path.join(dataDir, "recovery.json"),
    log: namespaced(log, "recovery"),
  });
  const jobs = new JobController({
    printer,
    files,
    records,
    recovery,
    ...(camera !== undefined ? { camera } : {}),
    log: namespaced(log, "jobs"),
    settings: {
      ...DEFAULT_JOB_SETTINGS,
      park: config.jobs.park,
      coolAfterPauseMs: config.jobs.coolAfterPauseMinutes * 60_000,
      cacheDir: path.join(dataDir, "cache"),
    },
  });
  const engine = new LocalEngine({ printer, jobs, recovery, records, log, virtualPath: VIRTUAL_PORT });
  return {
    engine,
    stop: async () => {
      try {
        await engine.stop();
      } finally {
        await link.close();
      }
    },
  };
}

/**
 * The system's serial ports, plus the built-in simulated printer at VIRTUAL_PORT, started the first
 * time that path is opened: a Marlin 2 board as shipped on 32-bit printers (temperature
 * auto-reports and ADVANCED_OK on).
 */
function printerLink(
  simSpeed: number,
  recordFile: string | null,
): { binding: BindingInterface; close(): Promise<void> } {
  const sim = createSimulatorBinding();
  let simulator: SimulatedPrinter | null = null;
  let systemPorts: BindingInterface | null = null;
  const startSimulator = () => {
    if (simulator !== null) return;
    const defaults = defaultSimConfig(loadFirmwareProfile("marlin-2"));
    simulator = new SimulatedPrinter({
      ...defaults,
      speed: simSpeed,
      capabilities: { ...defaults.capabilities, autoreportTemp: true, advancedOk: true },
      record: { file: recordFile, inMemory: false },
    });
    simulator.start();
    sim.register(VIRTUAL_PORT, simulator);
  };
  const system = () => {
    systemPorts ??= systemBinding();
    return systemPorts;
  };
  const binding: BindingInterface = {
    list: async () => [...(await system().list()), ...(await sim.binding.list())],
    open: async (options: OpenOptions) => {
      if (options.path !== VIRTUAL_PORT) return system().open(options);
      startSimulator();
      return sim.binding.open(options);
    },
  };
  return {
    binding,
    close: async () => {
      await simulator?.stop();
      simulator = null;
    },
  };
}
