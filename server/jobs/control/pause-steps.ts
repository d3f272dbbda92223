import { HostError } from "../../util/errors.ts";
import type { PausedBy } from "./job-ports.ts";
import { coolNozzles, pauseScript, resumeScript } from "./job-scripts.ts";
import type { PrintRun } from "./print-run.ts";
import { profileOf, type StepContext } from "./step-context.ts";

/** How often M108 is repeated while a resumed M600 has not yet been acknowledged. */
const FILAMENT_WAIT_NUDGE_MS = 1000;

/**
 * Pausing and resuming one print. Two kinds of pause:
 * - the host parks (the maker, M0/M1/`@pause` in the file, `//action:pause`): hold the stream,
 *   M400, M114, the profile's park script, M400; paused once parked; resume reheats if the nozzles
 *   were cooled, returns to the M114 position, unretracts and restores the file's modes;
 * - the firmware parks itself (M600, `//action:paused`): the job is paused while it waits for the
 *   user; resume sends M108 (M600) or just follows `//action:resumed`.
 */
export class PauseSteps {
  readonly #ctx: StepContext;

  constructor(ctx: StepContext) {
    this.#ctx = ctx;
  }

  /** printing → pausing: no further print line leaves. */
  hold(run: PrintRun, by: PausedBy): void {
    const { deps, clock } = this.#ctx;
    deps.printer.control.hold(by === "user" ? "pause requested" : `paused by the ${by}`);
    run.pause = { by, position: null, cooled: {}, coolTimer: null, parkedByFirmware: false, m600Ref: null };
    run.job.pausedAt(clock());
  }

  async park(run: PrintRun): Promise<void> {
    const { deps } = this.#ctx;
    const { printer, settings } = deps;
    const pause = run.pause;
    if (pause === null) return;
    // A time-lapse frame under way returns the head first: the position read below is the print's.
    if (run.stabilizing !== null) await run.stabilizing;
    if (!this.#ctx.still(run, "pausing")) return;
    // M400's ok comes once every line sent before it has been executed: the head has stopped.
    await printer.send("M400");
    if (!this.#ctx.still(run, "pausing")) return;
    const position = await printer.control.position();
    pause.position = position;
    for (const command of pauseScript(profileOf(deps), settings.park, position, run.job.modal)) {
      await printer.send(command);
    }
    await printer.send("M400");
    if (!this.#ctx.still(run, "pausing")) return;
    printer.control.paused("the head is parked");
    deps.records.recordEvent({ kind: "job", message: "paused", jobId: run.job.init.jobId });
    this.#ctx.saveRecovery();
    if (settings.coolAfterPauseMs > 0) {
      pause.coolTimer = setTimeout(() => void this.#coolNozzles(run), settings.coolAfterPauseMs);
    }
  }

  async resume(run: PrintRun): Promise<void> {
    const { deps } = this.#ctx;
    const { printer, settings } = deps;
    const pause = run.pause;
    if (pause === null) throw new HostError("INVALID_STATE", "the print is paused but not by this host");
    if (pause.coolTimer !== null) clearTimeout(pause.coolTimer);
    printer.control.resuming("resume requested");
    if (pause.parkedByFirmware) {
      if (pause.m600Ref === null) this.release(run, "resumed");
      else this.#endFilamentWait(run);
      return;
    }
    if (pause.position === null) throw new HostError("INVALID_STATE", "paused without a recorded position");
    const script = resumeScript(profileOf(deps), settings.park, pause.position, run.job.modal, pause.cooled);
    for (const command of script) await printer.send(command);
    if (!this.#ctx.still(run, "resuming")) return;
    this.release(run, "resumed");
  }

  /** The firmware parks and waits on its own: the job is paused until it is done. */
  firmwarePause(run: PrintRun, m600Ref: number | null, reason: string): void {
    const { deps, clock } = this.#ctx;
    if (deps.printer.state !== "printing") return;
    // Set before the state moves: listeners of the `paused` transition read who paused.
    run.pause = {
      by: "firmware",
      position: null,
      cooled: {},
      coolTimer: null,
      parkedByFirmware: true,
      m600Ref,
    };
    deps.printer.control.pausedByFirmware(reason);
    run.job.pausedAt(clock());
    deps.records.recordEvent({ kind: "job", message: reason, jobId: run.job.init.jobId });
  }

  /** `//action:resumed`: the firmware is done with a pause it made itself (not an M600: its ok says so). */
  firmwareResumed(run: PrintRun): void {
    if (!run.pause?.parkedByFirmware || run.pause.m600Ref !== null) return;
    this.#ctx.deps.printer.control.resuming("resumed by the firmware");
    this.release(run, "resumed by the firmware");
  }

  /** A print line was acknowledged: an M600 starts (the line before it is done) or ends. */
  acknowledged(run: PrintRun, ref: number): void {
    if (run.m600?.previousRef === ref) {
      this.firmwarePause(run, run.m600.ref, "filament change (M600)");
      run.m600 = null;
    }
    const pause = run.pause;
    if (pause?.m600Ref !== ref) return;
    const { printer } = this.#ctx.deps;
    if (printer.state === "paused") printer.control.resuming("the filament change is done");
    if (printer.state === "resuming") this.release(run, "the filament change is done");
  }

  release(run: PrintRun, reason: string): void {
    const { deps, clock } = this.#ctx;
    run.pause = null;
    run.job.resumedAt(clock());
    deps.printer.control.release(reason);
    deps.records.recordEvent({ kind: "job", message: reason, jobId: run.job.init.jobId });
  }

  /**
   * M108 ends Marlin's M600 wait for the user. It is lost if it arrives before the firmware starts
   * waiting, so it is repeated until the M600 is acknowledged.
   */
  #endFilamentWait(run: PrintRun): void {
    const window = this.#ctx.deps.printer.window;
    const tick = () => {
      if (!this.#ctx.still(run, "resuming") || window === null || !window.awaiting("M600")) return;
      window.emergency("M108");
      run.timers.push(setTimeout(tick, FILAMENT_WAIT_NUDGE_MS));
    };
    tick();
  }

  async #coolNozzles(run: PrintRun): Promise<void> {
    if (!this.#ctx.still(run, "paused") || run.pause === null) return;
    const { commands, targets } = coolNozzles(run.job.modal);
    run.pause.cooled = targets;
    for (const command of commands) await this.#ctx.deps.printer.send(command);
  }
}
