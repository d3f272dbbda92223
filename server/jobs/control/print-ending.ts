import type { JobResult } from "../../gcode/send-window.ts";
import { heatersOffCommands } from "../../printer/printer.ts";
import type { JobOutcome } from "./job-ports.ts";
import { cancelScript, coolNozzles } from "./job-scripts.ts";
import type { PrintRun } from "./print-run.ts";
import { profileOf, type StepContext } from "./step-context.ts";

/**
 * The print's stream ended: every line acknowledged (done), or stopped by a cancel. A cancel runs
 * the profile's cancel script; a stop that keeps the print resumable (the daemon stopping) turns
 * the heaters and fan off and moves nothing, so a resume can set Z to where the head rests. A
 * finished file whose end G-code left heaters on gets them turned off.
 */
export async function endPrint(ctx: StepContext, run: PrintRun, result: JobResult): Promise<JobOutcome> {
  const { printer, settings, log } = ctx.deps;
  let outcome: JobOutcome;
  if (result.aborted) {
    const script =
      run.interruptedBy === null
        ? cancelScript(profileOf(ctx.deps), settings.park)
        : [...heatersOffCommands(profileOf(ctx.deps)), "M106 S0"];
    try {
      for (const command of script) await printer.send(command);
    } catch (err) {
      log.error({ err }, "cancel script failed");
    }
    printer.control.cancelled("print cancelled");
    outcome =
      run.interruptedBy === null
        ? outcomeOf(ctx, run, "cancelled", run.cancelReason ?? "cancelled", result)
        : outcomeOf(ctx, run, "failed", run.interruptedBy, result);
  } else {
    const { commands } = coolNozzles(run.job.modal);
    if (run.job.modal.bedTarget > 0) commands.push("M140 S0");
    for (const command of commands) await printer.send(command).catch(() => {});
    outcome = outcomeOf(ctx, run, "done", null, result);
  }
  await record(ctx, run, outcome, run.interruptedBy === null);
  return outcome;
}

/**
 * The print failed (link lost, firmware reset or halt, timeouts, emergency stop). The printer layer
 * has seen to the heaters; the recovery point stays, marked interrupted, unless an emergency stop
 * ended the print.
 */
export async function failPrint(ctx: StepContext, run: PrintRun, err: unknown): Promise<JobOutcome> {
  const reason = err instanceof Error ? err.message : String(err);
  const outcome = outcomeOf(ctx, run, "failed", reason, null);
  await record(ctx, run, outcome, run.stopped);
  return outcome;
}

async function record(
  ctx: StepContext,
  run: PrintRun,
  outcome: JobOutcome,
  clearRecovery: boolean,
): Promise<void> {
  const { records, recovery, printer } = ctx.deps;
  run.close();
  records.finishJob(outcome.jobId ?? 0, {
    result: outcome.result,
    ...(outcome.reason !== null ? { reason: outcome.reason } : {}),
    filamentMm: Array.from(run.job.filamentMm, (mm) => Math.max(0, Number((mm ?? 0).toFixed(2)))),
  });
  if (clearRecovery) await recovery.clear();
  else {
    const point = run.job.recoveryPoint("interrupted", outcome.reason, printer.lastTemperatures, ctx.clock());
    await recovery.save(point);
  }
}

function outcomeOf(
  ctx: StepContext,
  run: PrintRun,
  result: JobOutcome["result"],
  reason: string | null,
  stream: JobResult | null,
): JobOutcome {
  const progress = run.job.progress(ctx.clock());
  return {
    jobId: run.job.init.jobId,
    file: run.job.init.file,
    result,
    reason,
    lines: stream?.lines ?? progress.lines,
    seconds: progress.elapsedSeconds,
  };
}
