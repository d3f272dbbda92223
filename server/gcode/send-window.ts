import type { SerialTransport } from "../serial/transport.ts";
import { HostError } from "../util/errors.ts";
import type { Logger } from "../util/log.ts";
import { TypedEmitter } from "../util/typed-emitter.ts";
import { type FlowControl, windowAllows } from "./flow-control.ts";
import { type AckInfo, type InFlightLine, InFlightQueue, type LineSource } from "./in-flight.ts";
import { JobFeed, type JobResult, type JobSource } from "./job-feed.ts";
import { commandCode, formatLine, stripComment } from "./line.ts";
import { LinkWatchdog, type QuietAction } from "./link-watchdog.ts";
import { acknowledgedCount } from "./ok-credit.ts";
import { ResendReplay } from "./resend-replay.ts";
import { parseResponse } from "./responses/parse-response.ts";
import type { Response, ResponseOf } from "./responses/types.ts";
import { SendHistory } from "./send-history.ts";
import type { WindowTiming } from "./timing.ts";
import {
  communicationTimeout,
  type LastAcked,
  lineTooLong,
  linkLost,
  resendUnavailable,
} from "./window-errors.ts";

export type { JobLine, JobResult, JobSource } from "./job-feed.ts";
export type { AckInfo };

/** `always`: every line numbered; `print`: numbered while a job streams; `never`: plain lines. */
export type NumberingPolicy = "always" | "print" | "never";

export interface SendWindowSettings {
  flow: FlowControl;
  numbering: NumberingPolicy;
  /** The firmware's line buffer including the terminator (Marlin MAX_CMD_SIZE). */
  maxLineLength: number;
  /** Marlin follows `Resend: N` with an `ok` that acknowledges nothing. */
  okAfterResend: boolean;
  /** With EMERGENCY_PARSER the firmware acts on M112/M108/M410 as the bytes arrive. */
  emergencyParser: boolean;
  longRunningCommands: readonly string[];
  historySize: number;
  timing: WindowTiming;
  /** The link's bytes per second (baud / 10), to know when lines on the wire have arrived. */
  linkBytesPerSecond: number;
}

export interface SendWindowDeps {
  transport: SerialTransport;
  log: Logger;
  /** Milliseconds, monotonic. Tests with fake timers pass `Date.now`. */
  clock?: () => number;
}

export interface SendWindowEvents {
  /** Every line the firmware sent, parsed once, with its raw text. */
  response: [response: Response, raw: string];
  /** The window gave up (link lost, timeouts, resend loop): nothing more is sent. */
  fault: [error: HostError];
  /** A print line was acknowledged: its source reference (e.g. byte offset in the file) and command. */
  jobAck: [ref: number, command: string];
}

interface Pending {
  command: string;
  renumberTo: number | null;
  resolve: (ack: AckInfo) => void;
  reject: (err: Error) => void;
}

const EMERGENCY = new Set(["M112", "M108", "M410"]);

/**
 * The one owner of flow control on a serial link: line numbers, `ok` credit, resend rewinds,
 * `busy:` keepalives, timeouts and the priority of what goes out next. Priorities: emergency lines
 * bypass everything; a pending resend replays first; interactive commands are slotted between print
 * lines; the print stream fills what is left.
 */
export class SendWindow extends TypedEmitter<SendWindowEvents> {
  readonly #deps: SendWindowDeps;
  readonly #settings: SendWindowSettings;
  readonly #clock: () => number;
  readonly #inFlight = new InFlightQueue();
  readonly #history: SendHistory;
  readonly #longRunning: Set<string>;
  #interactive: Pending[] = [];
  #job: JobFeed | null = null;
  #jobInFlight = 0;
  /**
   * An M110 in flight. Marlin validates line numbers as lines arrive but applies a queued M110 when it
   * runs, resetting its counter again: nothing numbered may follow until the M110's ok.
   */
  #renumbering: InFlightLine | null = null;
  #nextLineNumber = 1;
  readonly #replay: ResendReplay;
  #holdTimer: NodeJS.Timeout | null = null;
  #syncOutstanding = false;
  readonly #watchdog: LinkWatchdog;
  #fault: HostError | null = null;
  #pumping = false;
  #unsubscribe: (() => void)[] = [];
  #lastAcked: LastAcked | null = null;
  readonly stats = { resends: 0, timeouts: 0, strayOks: 0, earlyTickles: 0 };

  constructor(deps: SendWindowDeps, settings: SendWindowSettings) {
    super();
    this.#deps = deps;
    this.#settings = { ...settings };
    this.#clock = deps.clock ?? (() => performance.now());
    this.#history = new SendHistory(settings.historySize);
    this.#longRunning = new Set(settings.longRunningCommands);
    this.#watchdog = new LinkWatchdog(
      this.#clock,
      () => this.#settings.timing,
      {
        waiting: () => this.#fault === null && this.#inFlight.length > 0,
        patient: () => this.#syncOutstanding || this.#inFlight.some((l) => l.longRunning),
        ghostPending: () => this.#replay.ignoredRequest !== null,
      },
      (action, quietMs) => this.#onQuiet(action, quietMs),
    );
    this.#replay = new ResendReplay(this.#clock);
  }

  start(): void {
    const { transport } = this.#deps;
    this.#watchdog.restart(this.#clock());
    this.#unsubscribe = [
      transport.on("line", (line) => this.#onLine(line)),
      transport.on("disconnected", (err) => this.#failWith(linkLost(err, this.#lastAcked))),
    ];
  }

  stop(): void {
    for (const off of this.#unsubscribe) off();
    this.#unsubscribe = [];
    if (this.#fault === null) this.#failWith(new HostError("INVALID_STATE", "send window stopped"), false);
  }

  get flow(): FlowControl {
    return this.#settings.flow;
  }

  /** Change flow control, numbering or firmware facts (after M115 or an ADVANCED_OK reply). */
  reconfigure(changes: Partial<Omit<SendWindowSettings, "historySize">>): void {
    Object.assign(this.#settings, changes);
    if (changes.longRunningCommands !== undefined) {
      this.#longRunning.clear();
      for (const code of changes.longRunningCommands) this.#longRunning.add(code);
    }
    this.#pump();
  }

  /**
   * The firmware restarted (it printed `start`) or stopped answering for good: nothing in flight
   * will be answered. The job and every waiter are rejected with `err`; the window stays usable and
   * numbering starts again at 1 (the firmware's counter is 0 after a reset).
   */
  abandon(err: HostError): void {
    const job = this.#job;
    this.#job = null;
    this.#jobInFlight = 0;
    this.#replay.reset();
    this.#renumbering = null;
    this.#syncOutstanding = false;
    this.#history.clear();
    this.#nextLineNumber = 1;
    job?.fail(err);
    for (const pending of this.#interactive.splice(0)) pending.reject(err);
    for (const line of this.#inFlight.drain()) line.reject?.(err);
  }

  get fault(): HostError | null {
    return this.#fault;
  }

  get lastAcked(): LastAcked | null {
    return this.#lastAcked;
  }

  get linesInFlight(): number {
    return this.#inFlight.length;
  }

  get jobActive(): boolean {
    return this.#job !== null;
  }

  /** Whether a line with this command code (`M109`, `M600`, …) is sent and not yet acknowledged. */
  awaiting(code: string): boolean {
    return this.#inFlight.some((line) => line.code === code);
  }

  /** Queue an interactive command; resolves on its `ok`. Comments are stripped; an empty line resolves at once. */
  send(raw: string): Promise<AckInfo> {
    const command = stripComment(raw);
    if (command === "") return Promise.resolve({ lineNumber: null, command });
    return this.#enqueue(command, null);
  }

  /** `M110 N<n>`: the firmware expects `n + 1` next. Goes out once nothing is in flight. */
  renumber(lineNumber = 0): Promise<AckInfo> {
    return this.#enqueue(`M110 N${lineNumber}`, lineNumber);
  }

  /**
   * M112, M108 and M410 bypass every queue and the window. Without EMERGENCY_PARSER the firmware
   * reads M112 only from its queue, so it goes out raw and then numbered (whichever the firmware
   * reaches first wins); M108 and M410 still get an `ok`, so they count as in flight.
   */
  emergency(raw: string): void {
    const command = stripComment(raw).toUpperCase();
    const code = commandCode(command);
    if (code === null || !EMERGENCY.has(code)) {
      throw new HostError("USAGE", `'${command}' is not an emergency command (M112, M108, M410)`);
    }
    const { transport, log } = this.#deps;
    log.warn({ command }, "emergency command");
    transport.write(`${command}\n`);
    if (code === "M112") {
      if (!this.#settings.emergencyParser && this.#settings.numbering !== "never") {
        const n = this.#nextLineNumber++;
        transport.write(formatLine(n, command));
      }
      return;
    }
    this.#inFlight.push(this.#line(null, command, code, `${command}\n`, "emergency", 0, null));
    this.#watchdog.arm();
  }

  /** Streams `source`; resolves when every line has been acknowledged, rejects on a fault. */
  startJob(source: JobSource): Promise<JobResult> {
    if (this.#fault !== null) return Promise.reject(this.#fault);
    if (this.#job !== null)
      return Promise.reject(new HostError("INVALID_STATE", "a job is already streaming"));
    return new Promise<JobResult>((resolve, reject) => {
      this.#job = new JobFeed(source, this.#clock(), this.stats, { resolve, reject });
      this.#pump();
    });
  }

  /** Stop feeding print lines after the ones already sent; interactive commands still flow. */
  holdJob(): void {
    if (this.#job !== null) this.#job.held = true;
  }

  releaseJob(): void {
    if (this.#job === null) return;
    this.#job.held = false;
    this.#pump();
  }

  /** Stop feeding at once: no further print line leaves; the job resolves once those in flight are answered. */
  abortJob(): void {
    const job = this.#job;
    if (job === null) return;
    job.abort();
    this.#finishJobIfDone();
  }

  #enqueue(command: string, renumberTo: number | null): Promise<AckInfo> {
    if (this.#fault !== null) return Promise.reject(this.#fault);
    return new Promise<AckInfo>((resolve, reject) => {
      this.#interactive.push({ command, renumberTo, resolve, reject });
      this.#pump();
    });
  }

  #numbered(): boolean {
    const policy = this.#settings.numbering;
    return policy === "always" || (policy === "print" && this.#job !== null);
  }

  #line(
    lineNumber: number | null,
    command: string,
    code: string | null,
    wire: string,
    source: LineSource,
    ref: number,
    pending: Pending | null,
  ): InFlightLine {
    return {
      lineNumber,
      command,
      code,
      wire,
      source,
      ref,
      longRunning: code !== null && this.#longRunning.has(code),
      sentAt: this.#clock(),
      resolve: pending?.resolve ?? null,
      reject: pending?.reject ?? null,
    };
  }

  #fits(wire: string): boolean {
    return wire.length <= this.#settings.maxLineLength;
  }

  #pump(): void {
    if (this.#pumping || this.#fault !== null) return;
    this.#pumping = true;
    let batch = "";
    const flow = this.#settings.flow;
    const inFlight = this.#inFlight;
    for (;;) {
      if (this.#renumbering !== null) break;
      const replay = this.#replay.next;
      if (replay !== null) {
        if (this.#holdingReplay()) break;
        const line = this.#history.get(replay) as InFlightLine;
        if (!windowAllows(flow, inFlight.length, inFlight.bytes, inFlight.headBytes, line.wire.length)) break;
        line.sentAt = this.#clock();
        this.#commit(line);
        batch += line.wire;
        this.#replay.advance();
        continue;
      }
      const pending = this.#interactive[0];
      if (pending !== undefined) {
        const line = this.#interactiveLine(pending, batch);
        if (line === null) break;
        if (line === "rejected") continue;
        batch += line.wire;
        continue;
      }
      const job = this.#job;
      if (job === null || job.held) break;
      const next = job.peek();
      if (next === null) {
        this.#finishJobIfDone();
        break;
      }
      // Pulling a line may have held the job (a pause found in the file): the line waits in the lookahead.
      if (job.held) break;
      const numbered = this.#numbered();
      const n = this.#nextLineNumber;
      const wire = numbered ? formatLine(n, next.command) : `${next.command}\n`;
      if (!windowAllows(flow, inFlight.length, inFlight.bytes, inFlight.headBytes, wire.length)) break;
      if (!this.#fits(wire)) {
        this.#failWith(lineTooLong(next.command, next.ref, wire.length, this.#settings.maxLineLength));
        break;
      }
      job.take();
      if (numbered) this.#nextLineNumber++;
      const line = this.#line(
        numbered ? n : null,
        next.command,
        commandCode(next.command),
        wire,
        "job",
        next.ref,
        null,
      );
      this.#commit(line);
      batch += wire;
    }
    if (batch !== "") this.#deps.transport.write(batch);
    this.#pumping = false;
    if (batch !== "") this.#watchdog.arm();
  }

  /** The next interactive line if it may go now; null to wait; "rejected" when it can never be sent. */
  #interactiveLine(pending: Pending, batch: string): InFlightLine | "rejected" | null {
    const inFlight = this.#inFlight;
    const renumber = pending.renumberTo !== null;
    if (renumber && (inFlight.length > 0 || batch !== "")) return null;
    const numbered = renumber || this.#numbered();
    const n = renumber ? (pending.renumberTo as number) : this.#nextLineNumber;
    const wire = numbered ? formatLine(n, pending.command) : `${pending.command}\n`;
    if (!windowAllows(this.#settings.flow, inFlight.length, inFlight.bytes, inFlight.headBytes, wire.length))
      return null;
    if (!this.#fits(wire)) {
      this.#interactive.shift();
      pending.reject(lineTooLong(pending.command, 0, wire.length, this.#settings.maxLineLength));
      return "rejected";
    }
    this.#interactive.shift();
    if (renumber) {
      this.#history.clear();
      this.#nextLineNumber = n + 1;
    } else if (numbered) {
      this.#nextLineNumber++;
    }
    const line = this.#line(
      numbered ? n : null,
      pending.command,
      commandCode(pending.command),
      wire,
      "interactive",
      0,
      pending,
    );
    this.#commit(line);
    if (renumber) this.#renumbering = line;
    return line;
  }

  #commit(line: InFlightLine): void {
    this.#inFlight.push(line);
    this.#history.put(line);
    if (line.source === "job") this.#jobInFlight++;
  }

  #onLine(raw: string): void {
    const response = parseResponse(raw);
    const now = this.#clock();
    if (this.#replay.swallows(response)) {
      this.emit("response", response, raw);
      return;
    }
    switch (response.kind) {
      case "ok":
        this.#onOk(response, now);
        break;
      case "resend":
        this.#onResend(response.lineNumber, now);
        break;
      case "error":
        this.#replay.noteError(response);
        break;
      case "busy":
        this.#watchdog.busy(now);
        break;
      case "temperature":
        if (this.#inFlight.some((l) => l.longRunning)) this.#watchdog.alive(now);
        break;
      default:
        break;
    }
    this.emit("response", response, raw);
    this.#pump();
    this.#watchdog.arm();
  }

  #onOk(ok: ResponseOf<"ok">, now: number): void {
    const count = acknowledgedCount(ok, this.#inFlight);
    if (count === 0) {
      this.stats.strayOks++;
      return;
    }
    for (let i = 0; i < count; i++) this.#ack(this.#inFlight.shift() as InFlightLine, now);
    this.#finishJobIfDone();
  }

  #ack(line: InFlightLine, now: number): void {
    if (line.source === "job") {
      this.#jobInFlight--;
      this.#job?.acknowledged(line.ref);
      this.emit("jobAck", line.ref, line.command);
    }
    if (line.source === "sync") this.#syncOutstanding = false;
    if (line === this.#renumbering) this.#renumbering = null;
    this.#lastAcked = { lineNumber: line.lineNumber, command: line.command, ref: line.ref };
    const delay = now - line.sentAt;
    this.#watchdog.acknowledged(now, delay);
    if (line.lineNumber !== null) {
      this.#replay.acked(line.lineNumber);
    }
    line.resolve?.({ lineNumber: line.lineNumber, command: line.command });
  }

  /**
   * `Resend: N`: Marlin has discarded its receive buffer, so N and every later line must go again.
   * Lines that were on the wire at that moment arrive after the flush and each draws another
   * `Line Number is not Last Line Number+1` + `Resend: N` (ghosts); some are swallowed by the flush
   * and draw nothing, so ghosts cannot be counted. They can be recognised: a ghost asks for the rewind
   * target while our replayed copy of it is still on its way (and will answer for itself). Should a
   * real request be taken for a ghost, the link goes quiet and the timer rewinds to it.
   */
  #onResend(n: number, now: number): void {
    const decision = this.#replay.judge(n, this.#settings.okAfterResend, {
      highestSent: this.#nextLineNumber - 1,
      inFlight: (k) => this.#inFlight.some((l) => l.lineNumber === k),
      maxConsecutiveResends: this.#settings.timing.maxConsecutiveResends,
    });
    if (decision === "rewind") this.#rewind(n, now);
    else if (decision !== "ignore") this.#failWith(decision);
  }

  /** Replay N and every later line: the firmware discarded them with its receive buffer. */
  #rewind(n: number, now: number): void {
    if (this.#history.get(n) === undefined) {
      this.#failWith(resendUnavailable(n));
      return;
    }
    this.stats.resends++;
    const lost: InFlightLine[] = [];
    for (const line of this.#inFlight.drain()) {
      if (line.lineNumber !== null && line.lineNumber < n) {
        this.#inFlight.push(line); // processed: its ok was lost or is still on its way
        continue;
      }
      if (line.source === "job") this.#jobInFlight--;
      if (line.source === "sync") this.#syncOutstanding = false;
      lost.push(line);
    }
    // Lines before N are done; acknowledge them now so the replay starts from an empty pipe.
    for (let line = this.#inFlight.shift(); line !== undefined; line = this.#inFlight.shift())
      this.#ack(line, now);
    // An unnumbered interactive line may have been discarded with the buffer: send it again.
    const unnumbered = lost.filter((l) => l.lineNumber === null && l.source === "interactive");
    for (const line of unnumbered.reverse()) {
      this.#interactive.unshift({
        command: line.command,
        renumberTo: null,
        resolve: line.resolve ?? (() => {}),
        reject: line.reject ?? (() => {}),
      });
    }
    // Lines sent after N are still arriving; each will be refused and flush the receive buffer again.
    // Replaying before they are through (their bytes at the link rate, plus a round trip) would have
    // the replay flushed with them.
    const staleBytes = lost.reduce((sum, l) => sum + (l.lineNumber === n ? 0 : l.wire.length), 0);
    const holdMs =
      staleBytes === 0
        ? 0
        : (staleBytes * 1000) / this.#settings.linkBytesPerSecond + Math.max(1, 2 * this.#watchdog.okDelayMs);
    this.#replay.begin(n, this.#nextLineNumber - 1, holdMs);
    this.#deps.log.debug({ lineNumber: n, lost: lost.length, staleBytes }, "resend");
  }

  /** True while a replay must wait; schedules the pump for when it may go. */
  #holdingReplay(): boolean {
    const wait = this.#replay.holdRemaining();
    if (wait <= 0) return false;
    if (this.#holdTimer === null) {
      this.#holdTimer = setTimeout(() => {
        this.#holdTimer = null;
        this.#pump();
      }, Math.ceil(wait));
    }
    return true;
  }

  #finishJobIfDone(): void {
    const job = this.#job;
    if (job === null || job.pending || this.#jobInFlight > 0 || this.#replay.next !== null) return;
    this.#job = null;
    job.finish(this.#clock(), this.stats);
  }

  /**
   * An M105 whose `ok T:…` acknowledges every line sent before it. Numbered when it can be (no replay
   * pending), so that a line lost on the wire shows up as a line-number error instead of being
   * taken as done.
   */
  #sync(): void {
    this.#syncOutstanding = true;
    const numbered = this.#numbered() && this.#replay.next === null;
    const n = numbered ? this.#nextLineNumber++ : null;
    const wire = n === null ? "M105\n" : formatLine(n, "M105");
    const line = this.#line(n, "M105", "M105", wire, "sync", 0, null);
    this.#inFlight.push(line);
    this.#history.put(line);
    this.#deps.transport.write(wire);
  }

  #onQuiet(action: QuietAction, quietMs: number): void {
    const ignored = this.#replay.ignoredRequest;
    if (action === "recheck-ghost" && ignored !== null) {
      const decision = this.#replay.judgeIgnored(this.#settings.timing.maxConsecutiveResends);
      if (decision === "rewind") this.#rewind(ignored, this.#clock());
      else if (decision !== null) this.#failWith(decision);
      this.#pump();
    } else if (action === "timeout") {
      this.#onTimeout(quietMs);
    } else {
      this.stats.earlyTickles++;
      this.#sync();
    }
  }

  #onTimeout(quietMs: number): void {
    this.stats.timeouts++;
    const consecutive = this.#watchdog.countTimeout();
    const limit =
      this.#job !== null ? this.#settings.timing.maxTimeoutsPrinting : this.#settings.timing.maxTimeoutsIdle;
    const waiting = this.#inFlight.peek();
    if (consecutive >= limit) {
      this.#failWith(communicationTimeout(quietMs, waiting?.command, consecutive, this.#lastAcked));
      return;
    }
    this.#deps.log.warn({ quietMs, command: waiting?.command }, "communication timeout; sending M105");
    this.#sync();
  }

  /** Stop for good: every waiter is rejected with `err`. */
  #failWith(err: HostError, announce = true): void {
    if (this.#fault !== null) return;
    this.#fault = err;
    this.#watchdog.cancel();
    if (this.#holdTimer !== null) clearTimeout(this.#holdTimer);
    this.#holdTimer = null;
    const job = this.#job;
    this.#job = null;
    job?.fail(err);
    for (const pending of this.#interactive.splice(0)) pending.reject(err);
    for (const line of this.#inFlight.drain()) line.reject?.(err);
    if (announce) {
      this.#deps.log.error({ code: err.code }, err.message);
      this.emit("fault", err);
    }
  }
}
