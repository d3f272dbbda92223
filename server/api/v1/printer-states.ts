import type { Engine, EngineSnapshot } from "../../jobs/engine/engine.ts";
import type { PrinterState } from "../../printer/state-machine.ts";
import { HostError } from "../../util/errors.ts";

/** A print is under way (streaming, paused, or between the two). */
export const JOB_ACTIVE: readonly PrinterState[] = [
  "printing",
  "pausing",
  "paused",
  "resuming",
  "cancelling",
];

/** Connected and answering; heaters and fan may be set, also while printing (not while cancelling). */
export const HEATABLE: readonly PrinterState[] = ["idle", "printing", "pausing", "paused", "resuming"];

/** The head may move by hand: idle, or paused (parked; resume returns to the recorded position). */
export const MOVABLE: readonly PrinterState[] = ["idle", "paused"];

/** Homing and motors off lose the position a paused print resumes to: idle only. */
export const IDLE: readonly PrinterState[] = ["idle"];

/** A terminal line may go out whenever a link is open (the firmware answers even while printing). */
export const LINKED: readonly PrinterState[] = [...HEATABLE, "cancelling"];

/**
 * The snapshot, or INVALID_STATE (409) when its state is not one of `allowed`:
 * `cannot jog: the printer is printing`.
 */
export function requireState(
  engine: Engine,
  allowed: readonly PrinterState[],
  action: string,
): EngineSnapshot {
  const snapshot = engine.snapshot();
  if (!allowed.includes(snapshot.state))
    throw new HostError("INVALID_STATE", `cannot ${action}: the printer is ${snapshot.state}`, {
      state: snapshot.state,
    });
  return snapshot;
}
