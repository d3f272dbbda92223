import type { EngineSnapshot } from "../../jobs/engine/engine.ts";
import type { PrinterState } from "../../printer/state-machine.ts";

/**
 * Printer states as OctoPrint words them (`comm.py` getStateString). Clients match these strings:
 * Cura's plugin by prefix ("Printing", "Paused", "Operational", …), Home Assistant shows them.
 */
export const STATE_TEXT: Readonly<Record<PrinterState, string>> = {
  disconnected: "Offline",
  connecting: "Connecting",
  idle: "Operational",
  printing: "Printing",
  pausing: "Pausing",
  paused: "Paused",
  resuming: "Resuming",
  cancelling: "Cancelling",
  error: "Error",
};

/** `state.flags` of `/api/printer`, as Cura (error → paused → printing → cancelling → ready) reads them. */
export interface StateFlags {
  operational: boolean;
  printing: boolean;
  cancelling: boolean;
  pausing: boolean;
  resuming: boolean;
  finishing: boolean;
  closedOrError: boolean;
  error: boolean;
  paused: boolean;
  ready: boolean;
  sdReady: boolean;
}

/** Connected and answering: what `/api/printer` needs to answer with 200 instead of 409. */
const OPERATIONAL: readonly PrinterState[] = [
  "idle",
  "printing",
  "pausing",
  "paused",
  "resuming",
  "cancelling",
];

export function isOperational(state: PrinterState): boolean {
  return OPERATIONAL.includes(state);
}

/**
 * The flags of a state. `ready` means a print may start now: idle, and no print of an upload or a
 * selection already on its way (`starting`), which OctoPrint also counts as busy.
 */
export function stateFlags(state: PrinterState, starting = false): StateFlags {
  return {
    operational: isOperational(state),
    printing: state === "printing" || state === "resuming",
    cancelling: state === "cancelling",
    pausing: state === "pausing",
    resuming: state === "resuming",
    finishing: false,
    closedOrError: state === "disconnected" || state === "error",
    error: state === "error",
    paused: state === "paused",
    ready: state === "idle" && !starting,
    sdReady: false,
  };
}

export interface PrinterStateBody {
  text: string;
  flags: StateFlags;
  /** Why the printer is in error; empty otherwise. */
  error: string;
}

export function printerState(snapshot: EngineSnapshot, starting = false): PrinterStateBody {
  return {
    text: STATE_TEXT[snapshot.state],
    flags: stateFlags(snapshot.state, starting),
    error: snapshot.state === "error" ? snapshot.stateReason : "",
  };
}
