import type { Logger } from "../util/log.ts";
import { type SimConfig, validateSimConfig } from "./config.ts";
import { type FirmwareState, type FirmwareStats, type Injection, SimulatedFirmware } from "./firmware.ts";
import { PreciseScheduler, type Scheduler } from "./scheduler.ts";
import { Wire } from "./wire.ts";

export interface SimulatedPrinterOptions {
  /** Defaults to a PreciseScheduler (real time); tests pass a ManualScheduler. */
  scheduler?: Scheduler;
  logger?: Logger;
}

type Listener<T extends unknown[]> = (...args: T) => void;

/**
 * The simulated firmware behind an emulated serial link (a wire each way). Transports (the
 * in-process binding, the pty) call `fromHost()` with what the host writes and subscribe with
 * `onToHost()`; they report the host opening and closing the port, which resets the board when
 * `resetOnOpen` is set, as the DTR line of a USB-serial adapter does.
 */
export class SimulatedPrinter {
  readonly config: SimConfig;
  readonly scheduler: Scheduler;
  readonly firmware: SimulatedFirmware;
  readonly #toFirmware: Wire;
  readonly #toHost: Wire;
  readonly #hostListeners = new Set<Listener<[Buffer]>>();
  readonly #disconnectListeners = new Set<Listener<[]>>();
  readonly #ownsScheduler: boolean;
  #unplugged = false;

  constructor(config: SimConfig, options: SimulatedPrinterOptions = {}) {
    this.config = validateSimConfig(config);
    this.scheduler = options.scheduler ?? new PreciseScheduler();
    this.#ownsScheduler = options.scheduler === undefined;
    this.#toFirmware = new Wire(this.scheduler, config.link, (bytes) => this.firmware.receive(bytes));
    this.#toHost = new Wire(this.scheduler, config.link, (bytes) => this.#deliverToHost(bytes));
    this.firmware = new SimulatedFirmware(
      config,
      this.scheduler,
      {
        transmit: (bytes) => this.#toHost.send(bytes),
        catchUp: () => this.#toFirmware.deliverDue(),
        disconnect: () => this.#unplug(),
      },
      options.logger,
    );
  }

  get recording(): readonly string[] {
    return this.firmware.recording;
  }

  get state(): FirmwareState {
    return this.firmware.state;
  }

  get stats(): FirmwareStats {
    return this.firmware.stats;
  }

  /** True after a disconnect fault, until a host opens the port again. */
  get unplugged(): boolean {
    return this.#unplugged;
  }

  start(): void {
    this.firmware.start();
  }

  /** Stops every timer and writes the recording file. */
  async stop(): Promise<void> {
    this.#toFirmware.clear();
    this.#toHost.clear();
    await this.firmware.stop();
    if (this.#ownsScheduler) this.scheduler.cancelAll();
  }

  /** What the host wrote: it travels the wire, then reaches the UART. */
  fromHost(bytes: Buffer): void {
    if (this.#unplugged) return;
    this.#toFirmware.send(bytes);
  }

  onToHost(listener: (bytes: Buffer) => void): () => void {
    this.#hostListeners.add(listener);
    return () => this.#hostListeners.delete(listener);
  }

  onDisconnect(listener: () => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => this.#disconnectListeners.delete(listener);
  }

  /** A host opened the port: a replugged board powers up; with `resetOnOpen`, DTR resets it. */
  hostOpened(): void {
    if (this.#unplugged) {
      this.#unplugged = false;
      this.firmware.replug();
    } else if (this.config.resetOnOpen) this.firmware.reset();
  }

  /** DTR went from low to high while open (a host resetting the board on purpose). */
  hostRaisedDtr(): void {
    if (this.config.resetOnOpen && !this.#unplugged) this.firmware.reset();
  }

  inject(injection: Injection): void {
    this.firmware.inject(injection);
  }

  /** When the host's queued bytes will have left its side of the wire (for `drain()`). */
  hostTransmittedAt(): number {
    return this.#toFirmware.transmittedAt;
  }

  /** Host bytes not yet transmitted (the OS output queue). */
  hostBacklog(): number {
    return this.#toFirmware.backlog();
  }

  /** A host `flush()`: its untransmitted output is discarded. */
  discardHostOutput(): void {
    this.#toFirmware.discardUntransmitted();
  }

  #deliverToHost(bytes: Buffer): void {
    for (const listener of this.#hostListeners) listener(bytes);
  }

  #unplug(): void {
    this.#unplugged = true;
    this.#toFirmware.clear();
    this.#toHost.clear();
    for (const listener of [...this.#disconnectListeners]) listener();
  }
}
