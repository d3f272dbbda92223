import path from "node:path";
import { JobController } from "../../server/jobs/control/job-controller.ts";
import {
  DEFAULT_JOB_SETTINGS,
  type JobCamera,
  type JobRecords,
  type JobSettings,
} from "../../server/jobs/control/job-ports.ts";
import { RecoveryStore } from "../../server/jobs/recovery/recovery-store.ts";
import type { Printer } from "../../server/printer/printer.ts";
import type { SimConfig, SimulatedPrinter } from "../../server/sim/index.ts";
import { silentLogger } from "../../server/util/log.ts";
import { simJobRig } from "./sim-job-rig.ts";

export interface JobControllerRig {
  jobs: JobController;
  printer: Printer;
  sim: SimulatedPrinter;
  /** What the controller wrote to the history: event messages, and [id, result, reason] per finished job. */
  records: { events: string[]; finished: [number, string, string | undefined][] };
  recovery: RecoveryStore;
  file: (name: string, text: string) => string;
  /** Stops the controller, disconnects, stops the simulator, removes the scratch folder. */
  dispose(): Promise<void>;
}

/**
 * A started JobController on a connected printer and the in-process simulated Marlin (recording in
 * memory), parking at (5, 190); the history is a recorder with job ids from 1.
 */
export async function jobControllerRig(
  devicePath: string,
  options: { sim?: (config: SimConfig) => void; camera?: JobCamera; settings?: Partial<JobSettings> } = {},
): Promise<JobControllerRig> {
  const { sim, printer, dir, files, file, dispose } = simJobRig(devicePath, (config) => {
    config.record.inMemory = true;
    options.sim?.(config);
  });
  await printer.connect({ path: devicePath, baudRate: 250000 });
  const log: JobControllerRig["records"] = { events: [], finished: [] };
  let ids = 0;
  const records: JobRecords = {
    startJob: () => ++ids,
    finishJob: (id, outcome) => void log.finished.push([id, outcome.result, outcome.reason]),
    recordEvent: (event) => void log.events.push(event.message),
  };
  const recovery = new RecoveryStore({ file: path.join(dir, "recovery.json"), log: silentLogger() });
  const jobs = new JobController({
    printer,
    files,
    records,
    recovery,
    log: silentLogger(),
    ...(options.camera !== undefined ? { camera: options.camera } : {}),
    settings: {
      ...DEFAULT_JOB_SETTINGS,
      cacheDir: path.join(dir, "cache"),
      park: { x: 5, y: 190 },
      ...options.settings,
    },
  });
  jobs.start();
  return {
    jobs,
    printer,
    sim,
    records: log,
    recovery,
    file,
    dispose: async () => {
      await jobs.stop();
      await printer.disconnect();
      await dispose();
    },
  };
}

/** The recording from the print's first line on, without the host's temperature polls. */
export function printed(sim: SimulatedPrinter, first: string): string[] {
  const recording = sim.recording.filter((command) => command !== "M105");
  return recording.slice(recording.indexOf(first));
}
