import type { BindingInterface } from "@serialport/bindings-interface";
import { SerialPortStream } from "@serialport/stream";
import { HostError } from "../util/errors.ts";
import type { Logger } from "../util/log.ts";
import { TypedEmitter } from "../util/typed-emitter.ts";
import { LineSplitter } from "./line-splitter.ts";

export interface TransportOptions {
  /** Real bindings (`@serialport/bindings-cpp`), the simulator's in-process binding, or MockBinding. */
  binding: BindingInterface;
  path: string;
  baudRate: number;
  log: Logger;
}

export interface TransportEvents {
  /** One line from the device, without its `\n` (and without a trailing `\r`). */
  line: [line: string];
  /** The link is gone: unplugged, EIO, closed by the device. Emitted once; never for our own close(). */
  disconnected: [error: HostError];
}

/**
 * A serial link that knows bytes and lines, not G-code. Writes go out in call order; the caller
 * (the send window) decides when. Every failure of an open link surfaces as one `disconnected`
 * event carrying a `DISCONNECTED` HostError, so nothing waits forever on a dead port.
 */
export class SerialTransport extends TypedEmitter<TransportEvents> {
  readonly #options: TransportOptions;
  #port: SerialPortStream | null = null;
  #closing = false;
  #lost = false;

  constructor(options: TransportOptions) {
    super();
    this.#options = options;
  }

  get path(): string {
    return this.#options.path;
  }

  get baudRate(): number {
    return this.#options.baudRate;
  }

  get isOpen(): boolean {
    return this.#port?.isOpen === true && !this.#lost;
  }

  async open(): Promise<void> {
    const { binding, path, baudRate, log } = this.#options;
    const port = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => {
        if (err) reject(new HostError("DISCONNECTED", `cannot open ${path}: ${err.message}`, { path }));
        else resolve();
      });
    });
    this.#port = port;
    this.#closing = false;
    this.#lost = false;
    const splitter = new LineSplitter((line) => this.emit("line", line));
    port.on("data", (chunk: Buffer) => splitter.push(chunk));
    port.on("error", (err: Error) => this.#lose(err));
    port.on("close", (err?: Error | null) => {
      if (!this.#closing) this.#lose(err ?? new Error("port closed by the device"));
    });
    log.info({ path, baudRate }, "serial port open");
  }

  /** Queue bytes for the device. A write on a lost link is dropped: the disconnect was already reported. */
  write(data: string): void {
    const port = this.#port;
    if (port === null || this.#lost) return;
    port.write(data, "latin1");
  }

  /** Resolves when every queued byte has been handed to the operating system. */
  async drain(): Promise<void> {
    const port = this.#port;
    if (port === null || this.#lost) return;
    await new Promise<void>((resolve) => port.drain(() => resolve()));
  }

  async close(): Promise<void> {
    const port = this.#port;
    this.#port = null;
    if (port === null) return;
    this.#closing = true;
    if (!port.isOpen) return;
    await new Promise<void>((resolve) => port.close(() => resolve()));
    this.#options.log.info({ path: this.#options.path }, "serial port closed");
  }

  #lose(cause: Error): void {
    if (this.#lost || this.#closing) return;
    this.#lost = true;
    const { path, log } = this.#options;
    const error = new HostError("DISCONNECTED", `serial link to ${path} lost: ${cause.message}`, { path });
    log.warn({ path, err: cause.message }, "serial link lost");
    this.emit("disconnected", error);
  }
}
