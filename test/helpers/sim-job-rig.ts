import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { analyzeGcodeFile } from "../../server/jobs/analysis/analyze-file.ts";
import type { JobFiles } from "../../server/jobs/control/job-ports.ts";
import { loadFirmwareProfile, loadFirmwareProfiles } from "../../server/printer/firmware-profile.ts";
import { Printer } from "../../server/printer/printer.ts";
import {
  createSimulatorBinding,
  defaultSimConfig,
  type SimConfig,
  SimulatedPrinter,
} from "../../server/sim/index.ts";
import { silentLogger } from "../../server/util/log.ts";

/**
 * The pieces the job-layer tests share: an in-process simulated Marlin 2 (20× speed) behind a Printer
 * that is not yet connected, and a scratch folder whose files the job layer reads (each file's name
 * is its hash; analysed on demand).
 */
export interface SimJobRig {
  sim: SimulatedPrinter;
  printer: Printer;
  /** The scratch folder. */
  dir: string;
  files: JobFiles;
  /** Writes `text` as `name` in the scratch folder; returns `name`. */
  file(name: string, text: string): string;
  /** Stops the simulator and removes the scratch folder. */
  dispose(): Promise<void>;
}

export function simJobRig(devicePath: string, changes: (config: SimConfig) => void = () => {}): SimJobRig {
  const dir = mkdtempSync(path.join(tmpdir(), "layerwatch-jobs-"));
  const config = defaultSimConfig(loadFirmwareProfile("marlin-2"));
  config.speed = 20;
  changes(config);
  const sim = new SimulatedPrinter(config);
  sim.start();
  const { binding, register } = createSimulatorBinding();
  register(devicePath, sim);
  const printer = new Printer({ log: silentLogger(), binding, profiles: loadFirmwareProfiles() });
  return {
    sim,
    printer,
    dir,
    files: {
      absolutePath: async (name) => path.join(dir, name),
      describe: async (name) => ({ hash: name, analysis: await analyzeGcodeFile(path.join(dir, name)) }),
    },
    file: (name, text) => {
      writeFileSync(path.join(dir, name), text);
      return name;
    },
    dispose: async () => {
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
