import { HostError } from "../util/errors.ts";
import type { FirmwareSession } from "./firmware-session.ts";
import type { PrinterStateMachine } from "./state-machine.ts";

/** An M114 answer: the logical position the firmware has planned to (not where the head is now). */
export interface HeadPosition {
  x: number;
  y: number;
  z: number;
  /** The active extruder's position (the first `E`/`E<n>` value), 0 when the firmware reports none. */
  e: number;
}

/**
 * The steps a running print goes through, on the printer's state machine. The job layer sequences
 * them (scripts, position, timers); each step here moves the state and the stream, nothing more:
 *
 *   printing → pausing (hold) → paused → resuming → printing (release)
 *   printing | pausing | paused | resuming → cancelling (abort) → idle
 */
export class PrintControl {
  readonly #machine: PrinterStateMachine;
  readonly #session: () => FirmwareSession;

  constructor(machine: PrinterStateMachine, session: () => FirmwareSession) {
    this.#machine = machine;
    this.#session = session;
  }

  /** printing → pausing: no further print line leaves; interactive commands still flow. */
  hold(reason: string): void {
    const session = this.#session();
    this.#machine.transition("pausing", reason);
    session.window.holdJob();
  }

  /** pausing → paused: the head is parked (or the firmware parked it itself). */
  paused(reason: string): void {
    this.#machine.transition("paused", reason);
  }

  /**
   * printing → pausing → paused without holding the stream: the firmware stopped on its own (M600,
   * filament runout) and reads nothing more until the user is done, so lines may queue behind it.
   */
  pausedByFirmware(reason: string): void {
    this.#session();
    this.#machine.transition("pausing", reason);
    this.#machine.transition("paused", reason);
  }

  /** Holds the print stream without a state change: a time-lapse frame between two lines of the file. */
  holdStream(): void {
    this.#session().window.holdJob();
  }

  /** Lets a stream held by holdStream() go on (while printing; a pause holds it on its own). */
  releaseStream(): void {
    this.#session().window.releaseJob();
  }

  /** paused → resuming: the resume script is about to run; the stream is still held. */
  resuming(reason: string): void {
    this.#machine.transition("resuming", reason);
  }

  /** resuming → printing: the stream continues with the exact next line of the file. */
  release(reason: string): void {
    const session = this.#session();
    this.#machine.transition("printing", reason);
    session.window.releaseJob();
  }

  /**
   * → cancelling: no further print line leaves; the print resolves (aborted) once the lines in
   * flight are answered. An M109/M190/M600 wait would hold those answers for minutes, so M108
   * breaks it (at once with EMERGENCY_PARSER, else when the firmware next reads its serial buffer).
   */
  cancel(reason: string): void {
    const session = this.#session();
    this.#machine.transition("cancelling", reason);
    const { window } = session;
    if (["M109", "M190", "M191", "M600", "M0", "M1"].some((code) => window.awaiting(code))) {
      window.emergency("M108");
    }
    window.abortJob();
  }

  /** cancelling → idle: the cancel script has run. */
  cancelled(reason: string): void {
    this.#machine.transition("idle", reason);
  }

  /** M114, answered by a position line before its `ok`. Sent after M400 it is where the head stopped. */
  async position(): Promise<HeadPosition> {
    const { window } = this.#session();
    let found: HeadPosition | null = null;
    const off = window.on("response", (response) => {
      if (response.kind === "position") {
        found = { x: response.x, y: response.y, z: response.z, e: response.e[0] ?? 0 };
      }
    });
    try {
      await window.send("M114");
    } finally {
      off();
    }
    if (found === null) throw new HostError("FIRMWARE", "M114 was acknowledged without a position report");
    return found;
  }
}
