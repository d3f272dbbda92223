import type { HeadPosition } from "../../printer/print-control.ts";
import type { PrinterState } from "../../printer/state-machine.ts";
import type { ModalState } from "./modal-state.ts";
import type { PrintRun } from "./print-run.ts";
import { layerAt } from "./running-job.ts";
import { parkForFrame, returnFromFrame } from "./stabilize-script.ts";
import type { StepContext } from "./step-context.ts";

/** States in which a frame sequence that has begun runs to its end (a pause waits for it). */
const GOING_ON: readonly PrinterState[] = ["printing", "pausing"];

/**
 * One stabilized time-lapse frame, at the first line of a layer (a `layer` line of the file source,
 * pulled inside the send window's pump): the job is held so that line waits, and after the pump the
 * head parks, the camera takes its frame, the head returns, and the job is released. The inserted
 * lines are interactive commands, so they never count as the file's lines (its acknowledged
 * position, modal state and recovery point are untouched). A pause asked for meanwhile waits for
 * the return (see PauseSteps.park); a cancel or a fault ends the sequence where it is.
 */
export function beginStabilizedFrame(ctx: StepContext, run: PrintRun, ref: number): void {
  const { deps } = ctx;
  const settings = deps.settings.stabilize;
  const camera = deps.camera;
  if (settings === null || camera === undefined || deps.printer.window === null) return;
  if (deps.printer.state !== "printing" || run.stabilizing !== null) return;
  const layer = layerAt(run.job.init.analysis, ref);
  if (run.job.init.analysis.slicer.spiralVase === true) {
    // A spiral vase's wall never retracts: a park at every layer would leave a blob on it each time.
    // The frame is taken where the head is, and the stream is not held.
    const z = run.job.modal.z;
    void camera.capture({ jobId: run.job.init.jobId, layer, z }).catch(() => {});
    return;
  }
  deps.printer.control.holdStream();
  run.stabilizing = (async () => {
    // After the pump: the held line is in the lookahead, the lines before it are sent.
    await Promise.resolve();
    const { printer, log } = deps;
    try {
      // Every file line before the held one is executed and acknowledged: the modal state is theirs.
      await printer.send("M400");
      if (!GOING_ON.includes(printer.state)) return;
      const position = exactPosition(await printer.control.position(), run.job.modal);
      for (const command of parkForFrame(settings, position)) await printer.send(command);
      if (!GOING_ON.includes(printer.state)) return;
      await withTimeout(
        camera.capture({ jobId: run.job.init.jobId, layer, z: position.z }),
        settings.captureTimeoutMs,
      ).catch((err: unknown) => log.warn({ err, layer }, "time-lapse frame failed; the print goes on"));
      for (const command of returnFromFrame(settings, position, run.job.modal)) await printer.send(command);
    } catch (err) {
      log.warn({ err, layer }, "stabilized time-lapse frame sequence ended early");
    } finally {
      run.stabilizing = null;
      if (ctx.still(run, "printing")) printer.control.releaseStream();
    }
  })();
}

/** M114 reports 2 decimals: where the file's own coordinates agree with it, they are the exact ones. */
function exactPosition(reported: HeadPosition, modal: ModalState): HeadPosition {
  const near = (a: number, b: number) => Math.abs(a - b) <= 0.006;
  return {
    x: near(reported.x, modal.x) ? modal.x : reported.x,
    y: near(reported.y, modal.y) ? modal.y : reported.y,
    z: near(reported.z, modal.z) ? modal.z : reported.z,
    e: reported.e,
  };
}

function withTimeout(task: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no frame after ${ms} ms`)), ms);
  });
  return Promise.race([task, late]).finally(() => clearTimeout(timer));
}
