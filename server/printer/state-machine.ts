import { HostError } from "../util/errors.ts";
import { TypedEmitter } from "../util/typed-emitter.ts";

export type PrinterState =
  | "disconnected"
  | "connecting"
  | "idle"
  | "printing"
  | "pausing"
  | "paused"
  | "resuming"
  | "cancelling"
  | "error";

/** Every allowed move. Anything else is a bug in the caller and throws. */
const TRANSITIONS: Readonly<Record<PrinterState, readonly PrinterState[]>> = {
  disconnected: ["connecting"],
  connecting: ["idle", "error", "disconnected"],
  idle: ["printing", "error", "disconnected", "connecting"],
  printing: ["idle", "pausing", "cancelling", "error", "disconnected"],
  // A pause asked for as the last lines were acknowledged: the print simply finished.
  pausing: ["paused", "idle", "cancelling", "error", "disconnected"],
  paused: ["resuming", "cancelling", "error", "disconnected"],
  resuming: ["printing", "cancelling", "error", "disconnected"],
  cancelling: ["idle", "error", "disconnected"],
  error: ["connecting", "disconnected", "idle"],
};

export interface StateChange {
  from: PrinterState;
  to: PrinterState;
  /** Why, in words a maker understands (shown in the dashboard and the log). */
  reason: string;
}

export class PrinterStateMachine extends TypedEmitter<{ change: [change: StateChange] }> {
  #state: PrinterState = "disconnected";

  get state(): PrinterState {
    return this.#state;
  }

  can(to: PrinterState): boolean {
    return TRANSITIONS[this.#state].includes(to);
  }

  /** Moves to `to` and emits `change`; throws INVALID_STATE for a move the table does not allow. */
  transition(to: PrinterState, reason: string): void {
    const from = this.#state;
    if (!this.can(to)) {
      throw new HostError("INVALID_STATE", `cannot go from ${from} to ${to} (${reason})`, { from, to });
    }
    this.#state = to;
    this.emit("change", { from, to, reason });
  }

  /** Same as transition() when allowed; returns false instead of throwing (for teardown paths). */
  tryTransition(to: PrinterState, reason: string): boolean {
    if (this.#state === to || !this.can(to)) return false;
    this.transition(to, reason);
    return true;
  }
}
