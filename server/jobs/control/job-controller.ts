import { stat } from "node:fs/promises";
import type { JobSource } from "../../gcode/send-window.ts";
import type { PrinterState } from "../../printer/state-machine.ts";
import { HostError } from "../../util/errors.ts";
import { TypedEmitter } from "../../util/typed-emitter.ts";
import { planResume } from "../recovery/plan-resume.ts";
import type { RecoveryPoint } from "../recovery/recovery-point.ts";
import { FileJobSource, type SpecialLine } from "./file-job-source.ts";
import type { JobControllerDeps, JobOutcome, JobSettings, PausedBy, StartOptions } from "./job-ports.ts";
import { initialModalState } from "./modal-state.ts";
import { PauseSteps } from "./pause-steps.ts";
import { checkLineLength } from "./print-checks.ts";
import { endPrint, failPrint } from "./print-ending.ts";
import { PrintRun } from "./print-run.ts";
import { printablePath } from "./printable-file.ts";
import { type JobProgress, RunningJob } from "./running-job.ts";
import { beginStabilizedFrame } from "./stabilized-frame.ts";
import type { StepContext } from "./step-context.ts";

export interface JobControllerEvents {
  progress: [progress: JobProgress];
  /** A new layer started (1-based) at height z. */
  layer: [layer: number, z: number];
  finished: [outcome: JobOutcome];
}

const RUNNING: readonly PrinterState[] = ["printing", "pausing", "paused", "resuming"];

/**
 * Print jobs on one printer: start a stored file, pause, resume, cancel, emergency stop; progress
 * and ETA; the history record and the recovery point. The printer's state machine is the one
 * state (idle → printing ⇄ pausing/paused/resuming → cancelling → idle; error); this class
 * sequences the scripts and waits around its transitions, and refuses what the state forbids.
 */
export class JobController extends TypedEmitter<JobControllerEvents> {
  readonly #deps: JobControllerDeps;
  readonly #ctx: StepContext;
  readonly #pauses: PauseSteps;
  #run: PrintRun | null = null;
  #unsubscribe: (() => void)[] = [];

  constructor(deps: JobControllerDeps) {
    super();
    this.#deps = deps;
    this.#ctx = {
      deps,
      clock: deps.clock ?? Date.now,
      still: (run, state) => this.#run === run && deps.printer.state === state,
      saveRecovery: () => this.#saveRecovery(),
    };
    this.#pauses = new PauseSteps(this.#ctx);
  }

  start(): void {
    this.#unsubscribe = [this.#deps.printer.on("action", (action) => this.#onAction(action))];
  }

  /**
   * A print still running is stopped with its heaters off, but its recovery point is kept as
   * interrupted: the next start offers to resume it.
   */
  async stop(): Promise<void> {
    const run = this.#run;
    if (run !== null && RUNNING.includes(this.#deps.printer.state)) {
      run.interruptedBy = "the daemon was stopped during the print";
      await this.cancel(run.interruptedBy).catch(() => {});
    }
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    await this.#deps.recovery.flush();
  }

  get state(): PrinterState {
    return this.#deps.printer.state;
  }

  /** The file printing (or paused), as the store names it; null when none. */
  get currentFile(): string | null {
    return this.#run?.job.init.file ?? null;
  }

  get pausedBy(): PausedBy | null {
    return this.#run?.pause?.by ?? null;
  }

  progress(): JobProgress | null {
    return this.#run?.job.progress(this.#ctx.clock()) ?? null;
  }

  /** Resolves with the outcome of the running print; null when none runs. */
  whenFinished(): Promise<JobOutcome> | null {
    return this.#run?.finished ?? null;
  }

  /** Starts printing a stored file; resolves once it streams, with its history id. */
  async print(file: string, options: StartOptions = {}): Promise<number> {
    const { printer, files, records, settings } = this.#deps;
    if (printer.state !== "idle" || this.#run !== null) {
      throw new HostError("INVALID_STATE", `cannot start ${file}: the printer is ${printer.state}`);
    }
    const window = printer.window;
    if (window === null) throw new HostError("INVALID_STATE", "the printer is not connected");
    const { hash, analysis } = await files.describe(file);
    const firmware = printer.firmware;
    if (firmware !== null) checkLineLength(file, analysis, firmware.profile.serial.maxLineLength);
    const plain = await printablePath(await files.absolutePath(file), hash, settings.cacheDir);
    const totalBytes = (await stat(plain)).size;
    const startOffset = options.startOffset ?? 0;
    const jobId = records.startJob({
      file,
      fileHash: hash,
      user: options.user ?? null,
      layers: analysis.layers,
      estimatedSeconds: analysis.estimatedSeconds,
      resumedFrom: options.resumedFrom ?? null,
      ...(options.startLayer !== undefined ? { startLayer: options.startLayer } : {}),
    });
    const job = new RunningJob({
      file,
      fileHash: hash,
      jobId,
      analysis,
      totalBytes,
      modal: options.modal ?? initialModalState(),
      startOffset,
      startedAt: this.#ctx.clock(),
    });
    const source = new FileJobSource(plain, {
      startOffset,
      layerStarts: analysis.layerIndex.map((layer) => layer.byteOffset),
      special: (kind, ref, previousRef) => this.#special(kind, ref, previousRef),
    });
    const run = new PrintRun(job, source);
    this.#run = run;
    run.own(window.on("jobAck", (ref, command) => this.#acknowledged(run, ref, command)));
    run.timers.push(
      setInterval(() => this.#saveRecovery(), settings.recoveryIntervalMs),
      setInterval(() => this.emit("progress", job.progress(this.#ctx.clock())), settings.progressIntervalMs),
    );
    records.recordEvent({ kind: "job", message: `print started: ${file}`, jobId });
    this.#saveRecovery();
    run.finished = printer
      .print(withPreamble(options.preamble ?? [], startOffset, source))
      .then(
        (result) => endPrint(this.#ctx, run, result),
        (err: unknown) => failPrint(this.#ctx, run, err),
      )
      .then((outcome) => {
        if (this.#run === run) this.#run = null;
        this.emit("finished", outcome);
        return outcome;
      });
    return jobId;
  }

  /** Resumes an interrupted print from the first line of `layer` (0-based); see planResume. */
  async resumeInterrupted(point: RecoveryPoint, layer: number, user: string | null = null): Promise<number> {
    const { files, settings, log } = this.#deps;
    const plan = await planResume(point, layer, {
      files,
      cacheDir: settings.cacheDir,
      settings: settings.recovery,
    });
    log.warn({ file: plan.file, layer: layer + 1 }, "resuming an interrupted print");
    return this.print(plan.file, { ...plan.options, user });
  }

  /** Holds the stream, waits for the moves, reads the position, parks. Paused once parked. */
  async pause(by: PausedBy = "user"): Promise<void> {
    const run = this.#require("printing", "pause");
    this.#pauses.hold(run, by);
    await this.#pauses.park(run);
  }

  /** Reheats if the pause cooled the nozzle, returns, unretracts, restores modes, goes on with the next line. */
  async resume(): Promise<void> {
    await this.#pauses.resume(this.#require("paused", "resume"));
  }

  /** New park position, cool-down delay and stabilized frames, read by the next pause, resume, cancel or layer. */
  configure(settings: Partial<Pick<JobSettings, "park" | "coolAfterPauseMs" | "stabilize">>): void {
    const target = this.#deps.settings;
    if (settings.park !== undefined) target.park = { ...settings.park };
    if (settings.coolAfterPauseMs !== undefined) target.coolAfterPauseMs = settings.coolAfterPauseMs;
    if (settings.stabilize !== undefined)
      target.stabilize = settings.stabilize === null ? null : structuredClone(settings.stabilize);
  }

  /** Stops feeding at once, then the profile's cancel script; idle when it has run. */
  async cancel(reason = "cancelled by the user"): Promise<JobOutcome> {
    const run = this.#run;
    const state = this.#deps.printer.state;
    if (run === null || run.finished === null || !RUNNING.includes(state)) {
      throw new HostError("INVALID_STATE", `nothing to cancel: the printer is ${state}`);
    }
    if (run.pause?.coolTimer) clearTimeout(run.pause.coolTimer);
    run.cancelReason ??= reason;
    this.#deps.printer.control.cancel(reason);
    return run.finished;
  }

  /** M112 past every queue; the firmware halts. No recovery is offered for a print stopped this way. */
  emergencyStop(): void {
    if (this.#run !== null) this.#run.stopped = true;
    this.#deps.printer.emergencyStop();
  }

  #require(state: PrinterState, what: string): PrintRun {
    const run = this.#run;
    const now = this.#deps.printer.state;
    if (run === null || now !== state) {
      throw new HostError("INVALID_STATE", `cannot ${what}: the printer is ${now}`);
    }
    return run;
  }

  #acknowledged(run: PrintRun, ref: number, command: string): void {
    const { job } = run;
    if (job.acknowledged(ref, command, this.#ctx.clock())) {
      this.emit("layer", job.layer + 1, job.modal.z);
      this.#saveRecovery();
    }
    this.#pauses.acknowledged(run, ref);
  }

  /** Lines of the file the host acts on (see FileJobSource). Called from inside the send window's pump. */
  #special(kind: SpecialLine, ref: number, previousRef: number | null): void {
    const run = this.#run;
    const { printer, log } = this.#deps;
    if (run === null) return;
    if (kind === "pause") {
      // Held at once, so the line after it stays unsent; the park sequence runs after the pump.
      if (printer.state !== "printing") return;
      this.#pauses.hold(run, "file");
      queueMicrotask(() => void this.#pauses.park(run).catch((err) => log.error({ err }, "pause failed")));
    } else if (kind === "layer") {
      beginStabilizedFrame(this.#ctx, run, ref);
    } else if (kind === "cancel") {
      // Not from inside the pump: a cancel drops the pump's lookahead.
      queueMicrotask(() => void this.cancel("the file asked to cancel (@cancel)").catch(() => {}));
    } else if (previousRef === null) {
      queueMicrotask(() => this.#pauses.firmwarePause(run, ref, "filament change (M600)"));
    } else {
      // M600 runs once the line before it is acknowledged (Marlin answers a command when it has
      // been processed); the job is paused from then until the M600 itself is acknowledged.
      run.m600 = { ref, previousRef };
    }
  }

  /** Host action commands (OctoPrint §2.14): pause/resume/cancel act; paused/resumed follow. */
  #onAction(action: string): void {
    const run = this.#run;
    const state = this.#deps.printer.state;
    if (run === null) return;
    const ignore = () => {};
    if (action === "pause" && state === "printing") void this.pause("firmware").catch(ignore);
    else if (action === "resume" && state === "paused") void this.resume().catch(ignore);
    else if (action === "cancel") void this.cancel("the firmware asked to cancel").catch(ignore);
    else if (action === "paused") this.#pauses.firmwarePause(run, null, "paused by the firmware");
    else if (action === "resumed" && state === "paused") this.#pauses.firmwareResumed(run);
  }

  #saveRecovery(): void {
    const run = this.#run;
    if (run === null) return;
    const { printer, recovery } = this.#deps;
    const point = run.job.recoveryPoint("printing", null, printer.lastTemperatures, this.#ctx.clock());
    void recovery.save(point);
  }
}

/** The recovery sequence, then the file; the sequence's lines carry the file offset they lead to. */
function withPreamble(preamble: string[], ref: number, source: JobSource): JobSource {
  let index = 0;
  return {
    next: () => (index < preamble.length ? { command: preamble[index++] as string, ref } : source.next()),
  };
}
