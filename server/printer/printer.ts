import type { BindingInterface } from "@serialport/bindings-interface";
import type { FlowRequest } from "../gcode/flow-control.ts";
import type { Response, TemperatureReport } from "../gcode/responses/types.ts";
import { type JobResult, type JobSource, SendWindow } from "../gcode/send-window.ts";
import { DEFAULT_TIMING, type WindowTiming } from "../gcode/timing.ts";
import { lastAckedText } from "../gcode/window-errors.ts";
import { SerialTransport } from "../serial/transport.ts";
import { HostError } from "../util/errors.ts";
import { type Logger, namespaced } from "../util/log.ts";
import { TypedEmitter } from "../util/typed-emitter.ts";
import type { FirmwareProfile } from "./firmware-profile-types.ts";
import { FirmwareSession } from "./firmware-session.ts";
import { handshake } from "./handshake.ts";
import { PrintControl } from "./print-control.ts";
import { type PrinterState, PrinterStateMachine, type StateChange } from "./state-machine.ts";
import { TemperatureReports } from "./temperature-reports.ts";

/** Baud rates tried when none is given, most common first (Marlin's default is 250000). */
export const DETECT_BAUD_RATES = [250000, 115200, 230400, 57600, 38400] as const;

export interface PrinterDeps {
  log: Logger;
  binding: BindingInterface;
  profiles: readonly FirmwareProfile[];
  clock?: () => number;
}

export interface ConnectOptions {
  path: string;
  /** Absent: try DETECT_BAUD_RATES and keep the first where the firmware answers. */
  baudRate?: number;
  /** A profile id that overrides detection from M115. */
  profile?: string;
  /** Overrides the profile's flow control. */
  flow?: FlowRequest;
  timing?: Partial<WindowTiming>;
}

export interface FirmwareInfo {
  name: string;
  fields: Record<string, string>;
  profile: FirmwareProfile;
  capabilities: Record<string, boolean>;
}

export interface PrinterEvents {
  state: [change: StateChange];
  firmware: [info: FirmwareInfo];
  temperatures: [report: TemperatureReport];
  /** Raw traffic for the terminal: `recv` lines from the firmware. */
  line: [direction: "recv", text: string];
  action: [action: string, params: string];
  /** Something went wrong that ended a print or the connection. */
  failure: [error: HostError];
}

/**
 * One printer on one serial link: connects (baud detection, handshake, M115, capabilities), keeps
 * temperatures fresh, streams print jobs through the send window, and watches for the firmware
 * resetting, halting or vanishing. Every path that ends a print leaves the heaters off.
 */
export class Printer extends TypedEmitter<PrinterEvents> {
  readonly #deps: PrinterDeps;
  readonly #log: Logger;
  readonly #machine = new PrinterStateMachine();
  #session: FirmwareSession | null = null;
  #temperatures: TemperatureReports | null = null;
  #heatersOffOwed = false;
  /** Heater-off commands under way after the firmware restarted mid-print. */
  #aftermath: Promise<void> | null = null;
  /** Pause, resume and cancel steps of the running print; the job layer sequences them. */
  readonly control: PrintControl;

  constructor(deps: PrinterDeps) {
    super();
    this.#deps = deps;
    this.#log = namespaced(deps.log, "printer");
    this.#machine.on("change", (change) => this.emit("state", change));
    this.control = new PrintControl(this.#machine, () => this.#requireSession());
  }

  get state(): PrinterState {
    return this.#machine.state;
  }

  get firmware(): FirmwareInfo | null {
    return this.#session?.firmware ?? null;
  }

  /** The open link's device path and baud rate; null when not connected. */
  get link(): { path: string; baudRate: number } | null {
    const transport = this.#session?.transport;
    return transport === undefined ? null : { path: transport.path, baudRate: transport.baudRate };
  }

  get window(): SendWindow | null {
    return this.#session?.window ?? null;
  }

  get lastTemperatures(): TemperatureReport {
    return this.#temperatures?.last ?? {};
  }

  async connect(options: ConnectOptions): Promise<FirmwareInfo> {
    this.#machine.transition("connecting", `opening ${options.path}`);
    const timing = { ...DEFAULT_TIMING, ...options.timing };
    const bauds = options.baudRate !== undefined ? [options.baudRate] : [...DETECT_BAUD_RATES];
    try {
      for (const baudRate of bauds) {
        const session = await this.#tryBaud(options, baudRate, timing);
        if (session !== null) return this.#adopt(session);
      }
    } catch (err) {
      this.#machine.tryTransition("error", err instanceof Error ? err.message : String(err));
      throw err;
    }
    const tried = bauds.join(", ");
    const err = new HostError("NO_FIRMWARE", `no firmware answered on ${options.path} at ${tried} baud`, {
      path: options.path,
    });
    this.#machine.transition("error", err.message);
    throw err;
  }

  async #tryBaud(
    options: ConnectOptions,
    baudRate: number,
    timing: WindowTiming,
  ): Promise<FirmwareSession | null> {
    const transport = new SerialTransport({
      binding: this.#deps.binding,
      path: options.path,
      baudRate,
      log: namespaced(this.#deps.log, "serial"),
    });
    await transport.open();
    const window = new SendWindow(
      { transport, log: namespaced(this.#deps.log, "gcode"), clock: this.#deps.clock },
      {
        flow: { mode: "ping-pong", maxLines: 1, maxBytes: null },
        numbering: "always",
        maxLineLength: 96,
        okAfterResend: true,
        emergencyParser: false,
        longRunningCommands: [],
        historySize: 1024,
        timing: { ...timing, communicationMs: 2000, busyCommunicationMs: 2000, maxTimeoutsIdle: 2 },
        // 8N1: ten bit times per byte. On a pseudo-terminal or native USB the real rate is higher,
        // so waits computed from it err on the safe side.
        linkBytesPerSecond: baudRate / 10,
      },
    );
    window.start();
    const result = await handshake(window, this.#deps.profiles, options, this.#log);
    if (result === null) {
      window.stop();
      await transport.close();
      this.#log.info({ baudRate }, "no answer at this baud rate");
      return null;
    }
    window.reconfigure({ timing });
    return new FirmwareSession({
      transport,
      window,
      log: this.#log,
      firmware: result.firmware,
      flow: result.flow,
    });
  }

  #adopt(session: FirmwareSession): FirmwareInfo {
    this.#session = session;
    const info = session.firmware;
    const { window, transport } = session;
    window.on("response", (response, raw) => this.#onResponse(response, raw));
    window.on("fault", (err) => this.#onFault(err));
    this.#temperatures = new TemperatureReports({
      window,
      profile: info.profile,
      autoreport: info.capabilities.AUTOREPORT_TEMP === true,
      isPrinting: () => window.jobActive,
      log: this.#log,
    });
    this.#temperatures.on("report", (report) => this.emit("temperatures", report));
    this.#temperatures.start();
    this.#machine.transition(
      "idle",
      `connected to ${info.name} on ${transport.path} at ${transport.baudRate} baud`,
    );
    this.#log.info(
      { firmware: info.name, profile: info.profile.id, flow: window.flow, capabilities: info.capabilities },
      "firmware detected",
    );
    this.emit("firmware", info);
    if (this.#heatersOffOwed) {
      this.#heatersOffOwed = false;
      void this.#heatersOff("the link came back after a print was interrupted");
    }
    return info;
  }

  /**
   * Streams a print job; resolves when every line is acknowledged, or (aborted) when a cancel stopped
   * it. A cancelled print stays `cancelling` until the job layer has run the cancel script.
   */
  async print(source: JobSource): Promise<JobResult> {
    const session = this.#requireSession();
    this.#machine.transition("printing", "print started");
    try {
      const result = await session.window.startJob(source);
      if (this.state !== "cancelling") {
        this.#machine.tryTransition("idle", result.aborted ? "print stopped" : "print finished");
      }
      return result;
    } catch (err) {
      const error = err instanceof HostError ? err : new HostError("FIRMWARE", String(err));
      // A failed print is reported once its heaters are off (when the link can still carry that).
      await this.#aftermath;
      this.#aftermath = null;
      this.#machine.tryTransition("error", error.message);
      throw error;
    }
  }

  /** An interactive command (temperatures, jog, terminal): slotted between print lines. */
  async send(command: string): Promise<void> {
    await this.#requireSession().window.send(command);
  }

  /** M112 at once, past every queue; the firmware halts (heaters off is part of Marlin's kill()). */
  emergencyStop(): void {
    const session = this.#requireSession();
    for (const command of session.firmware.profile.scripts.emergencyStop) {
      if (/^M112\b/i.test(command)) session.window.emergency(command);
      else session.transport.write(`${command}\n`);
    }
    const err = new HostError("FIRMWARE", "emergency stop (M112)");
    session.window.abandon(err);
    this.#machine.tryTransition("error", "emergency stop");
    this.emit("failure", err);
  }

  async disconnect(): Promise<void> {
    const session = this.#session;
    this.#session = null;
    this.#temperatures?.stop();
    this.#temperatures = null;
    if (session !== null) {
      session.window.stop();
      await session.transport.close();
    }
    this.#machine.tryTransition("disconnected", "disconnected");
  }

  #requireSession(): FirmwareSession {
    if (this.#session === null)
      throw new HostError("INVALID_STATE", `the printer is ${this.state}, not connected`);
    return this.#session;
  }

  #onResponse(response: Response, raw: string): void {
    this.emit("line", "recv", raw);
    const session = this.#session;
    if (session === null) return;
    switch (response.kind) {
      case "ok":
        if (response.bufferFree !== undefined) session.noteAdvancedOk(response.bufferFree);
        if (response.temperatures !== undefined) this.#temperatures?.accept(response.temperatures);
        break;
      case "temperature":
        this.#temperatures?.accept(response.temperatures);
        break;
      case "start":
        this.#firmwareStopped(session, "restart", "the firmware restarted (it printed 'start')");
        break;
      case "halted":
        this.#firmwareStopped(session, "halt", `the firmware halted: ${response.message}`);
        break;
      case "error":
        if (response.errorClass === "fatal")
          this.#firmwareStopped(session, "halt", `the firmware stopped: ${response.message}`);
        break;
      case "action":
        this.emit("action", response.action, response.params);
        break;
      default:
        break;
    }
  }

  /** A reset or halt ends any print: the lines in flight will never be answered. */
  #firmwareStopped(session: FirmwareSession, kind: "restart" | "halt", reason: string): void {
    const printing = session.window.jobActive;
    if (!printing && this.state === "idle") {
      this.#log.warn({ reason }, "firmware event while idle");
      if (kind === "restart") void session.window.renumber(0).catch(() => {});
      return;
    }
    const last = session.window.lastAcked;
    const err = new HostError("FIRMWARE", `${reason}; the print is stopped${lastAckedText(last)}`, {
      lastAcked: last,
    });
    session.window.abandon(err);
    if (kind === "restart") {
      // A restarted firmware expects line 1 next; then heaters off, before print() reports the failure.
      void session.window.renumber(0).catch(() => {});
      this.#aftermath = this.#heatersOff("the firmware restarted during a print");
    }
    this.emit("failure", err);
  }

  #onFault(err: HostError): void {
    const wasPrinting = this.state === "printing" || this.state === "paused" || this.state === "pausing";
    this.#machine.tryTransition("error", err.message);
    this.emit("failure", err);
    const session = this.#session;
    if (err.code === "DISCONNECTED") {
      if (wasPrinting) this.#heatersOffOwed = true;
      this.#temperatures?.stop();
      return;
    }
    // The window gave up but the link may still carry bytes: heaters off, unnumbered, best effort.
    if (session !== null) {
      for (const command of heatersOffCommands(session.firmware.profile))
        session.transport.write(`${command}\n`);
    }
  }

  async #heatersOff(reason: string): Promise<void> {
    const session = this.#session;
    if (session === null) return;
    this.#log.warn({ reason }, "turning heaters off");
    for (const command of heatersOffCommands(session.firmware.profile)) {
      await session.window.send(command).catch(() => {});
    }
  }
}

/** The heater-off lines of the profile's cancel script (`M104 … S0`, `M140 S0`, `M141 S0`). */
export function heatersOffCommands(profile: FirmwareProfile): string[] {
  return profile.scripts.cancel.filter((c) => /^(M104|M140|M141)\b.*\bS0\b/i.test(c));
}
