import type { FirmwareProfile } from "../../printer/firmware-profile-types.ts";
import type { PrinterState } from "../../printer/state-machine.ts";
import { HostError } from "../../util/errors.ts";
import type { JobControllerDeps } from "./job-ports.ts";
import type { PrintRun } from "./print-run.ts";

/** What the pause and ending steps share with the controller. */
export interface StepContext {
  deps: JobControllerDeps;
  clock: () => number;
  /** After an await: is this still the running print, in the state the sequence left it in? */
  still(run: PrintRun, state: PrinterState): boolean;
  /** Queues the running print's recovery point for writing. */
  saveRecovery(): void;
}

export function profileOf(deps: JobControllerDeps): FirmwareProfile {
  const firmware = deps.printer.firmware;
  if (firmware === null) throw new HostError("INVALID_STATE", "the printer is not connected");
  return firmware.profile;
}
