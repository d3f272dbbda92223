/** Which printer states allow which actions (docs/api.md), and the reason shown when they do not. */
import type { PrinterStateName } from "../../../server/api/contract.ts";

const HEATING: PrinterStateName[] = ["idle", "printing", "pausing", "paused", "resuming"];

export const ALLOWED = {
  pause: ["printing"],
  resume: ["paused"],
  cancel: ["printing", "pausing", "paused", "resuming"],
  start: ["idle"],
  heat: HEATING,
  fan: HEATING,
  jog: ["idle", "paused"],
  extrude: ["idle", "paused"],
  home: ["idle"],
  motorsOff: ["idle"],
  estop: ["idle", "printing", "pausing", "paused", "resuming", "cancelling", "connecting"],
  terminal: ["idle", "printing", "pausing", "paused", "resuming", "cancelling"],
  resumeRecovery: ["idle"],
  discardRecovery: ["idle", "disconnected", "error", "connecting"],
  connect: ["disconnected", "error"],
  disconnect: ["idle", "connecting", "error"],
} satisfies Record<string, PrinterStateName[]>;

export type Action = keyof typeof ALLOWED;

/** null when the state allows the action; otherwise why not ("not while printing"). */
export function blockedBy(action: Action, state: PrinterStateName | null): string | null {
  if (state === null) return "waiting for the printer's state";
  if ((ALLOWED[action] as PrinterStateName[]).includes(state)) return null;
  if (state === "disconnected") return "the printer is not connected";
  return `not while the printer is ${state}`;
}
