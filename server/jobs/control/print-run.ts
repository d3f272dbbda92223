import type { HeadPosition } from "../../printer/print-control.ts";
import type { FileJobSource } from "./file-job-source.ts";
import type { JobOutcome, PausedBy } from "./job-ports.ts";
import type { RunningJob } from "./running-job.ts";

export interface PauseState {
  by: PausedBy;
  /** Where M114 said the head was before the park; null until read (and for firmware parks). */
  position: HeadPosition | null;
  /** Nozzle targets a long pause turned off, to reheat on resume. */
  cooled: Record<number, number>;
  coolTimer: NodeJS.Timeout | null;
  /** The firmware parked the head itself (M600, `//action:paused`): a resume only releases it. */
  parkedByFirmware: boolean;
  /** The M600 whose acknowledgement ends a firmware pause. */
  m600Ref: number | null;
}

/** One print from start to outcome: what the firmware acknowledged, its pause, its timers. */
export class PrintRun {
  readonly job: RunningJob;
  readonly source: FileJobSource;
  pause: PauseState | null = null;
  /** An M600 pulled from the file, waiting for the line before it to be acknowledged. */
  m600: { ref: number; previousRef: number } | null = null;
  /** Set once an emergency stop ended the print: no recovery is offered for it. */
  stopped = false;
  /** Set when the daemon stops mid-print: the stop keeps the recovery point. */
  interruptedBy: string | null = null;
  /** Why the print was cancelled (who asked, or the file or firmware), for the history. */
  cancelReason: string | null = null;
  finished: Promise<JobOutcome> | null = null;
  /** A stabilized time-lapse frame under way (the head parked or returning); null when none. */
  stabilizing: Promise<void> | null = null;
  readonly timers: NodeJS.Timeout[] = [];
  readonly #unsubscribe: (() => void)[] = [];

  constructor(job: RunningJob, source: FileJobSource) {
    this.job = job;
    this.source = source;
  }

  /** Undone by close(). */
  own(unsubscribe: () => void): void {
    this.#unsubscribe.push(unsubscribe);
  }

  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    if (this.pause?.coolTimer) clearTimeout(this.pause.coolTimer);
    for (const off of this.#unsubscribe) off();
    this.source.close();
  }
}
