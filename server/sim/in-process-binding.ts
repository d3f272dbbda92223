import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from "@serialport/bindings-interface";
import type { SimulatedPrinter } from "./printer.ts";

/** What a write may leave queued before it resolves: the Linux tty output buffer is 4 KiB. */
const OS_WRITE_BUFFER = 4096;

/** `err.canceled`: the host closed the port under an in-flight read or write (bindings-interface). */
class CanceledError extends Error {
  readonly canceled = true;
}

/** `err.disconnected`: the device went away; SerialPortStream closes the port and reports it. */
class DisconnectedError extends Error {
  readonly disconnected = true;
  readonly disconnect = true;
}

export interface SimulatorBinding {
  binding: BindingInterface<SimulatorPort>;
  /** Makes `printer` reachable at `path` (`list()` shows it, `open({ path })` connects to it). */
  register(path: string, printer: SimulatedPrinter): void;
  unregister(path: string): void;
}

/**
 * A serialport binding whose ports are simulated printers, for `SerialPortStream`/`SerialPort`
 * (`new SerialPortStream({ binding, path, baudRate })`). Each factory call has its own registry.
 */
export function createSimulatorBinding(): SimulatorBinding {
  const printers = new Map<string, SimulatedPrinter>();
  const open = new Map<string, SimulatorPort>();
  const binding: BindingInterface<SimulatorPort> = {
    async list(): Promise<PortInfo[]> {
      return [...printers.keys()].map((path, i) => ({
        path,
        manufacturer: "Layerwatch",
        serialNumber: `SIM${i + 1}`,
        pnpId: undefined,
        locationId: undefined,
        productId: undefined,
        vendorId: undefined,
      }));
    },
    async open(options: OpenOptions): Promise<SimulatorPort> {
      if (typeof options !== "object" || options === null) throw new TypeError('"options" is not an object');
      if (!options.path) throw new TypeError('"path" is not a valid port');
      if (!options.baudRate) throw new TypeError('"baudRate" is not a valid baudRate');
      await nextTick();
      const printer = printers.get(options.path);
      if (printer === undefined)
        throw new Error(`Error: No such file or directory, cannot open ${options.path}`);
      if (open.has(options.path)) throw new Error(`Error Resource temporarily unavailable Cannot lock port`);
      const port = new SimulatorPort(printer, withDefaults(options), () => open.delete(options.path));
      open.set(options.path, port);
      port.attach();
      return port;
    },
  };
  return {
    binding,
    register(path, printer) {
      printers.set(path, printer);
    },
    unregister(path) {
      printers.delete(path);
    },
  };
}

/** One open port on a simulated printer, honouring the `BindingPortInterface` contract. */
export class SimulatorPort implements BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  isOpen = true;
  readonly #printer: SimulatedPrinter;
  readonly #onClose: () => void;
  readonly #received: Buffer[] = [];
  #pendingRead: { resolve: () => void; reject: (err: Error) => void } | undefined;
  #writing = false;
  #dtr = true;
  #disconnected = false;
  #detach: (() => void)[] = [];

  constructor(printer: SimulatedPrinter, openOptions: Required<OpenOptions>, onClose: () => void) {
    this.#printer = printer;
    this.openOptions = openOptions;
    this.#onClose = onClose;
  }

  /** Connects to the printer; opening the port is what resets a USB-serial board. */
  attach(): void {
    this.#detach = [
      this.#printer.onToHost((bytes) => this.#receive(bytes)),
      this.#printer.onDisconnect(() => this.#disconnect()),
    ];
    this.#printer.hostOpened();
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    if (!Buffer.isBuffer(buffer)) throw new TypeError('"buffer" is not a Buffer');
    if (!Number.isInteger(offset) || !Number.isInteger(length) || buffer.length < offset + length) {
      throw new TypeError('"offset" and "length" must fit the buffer');
    }
    this.#checkOpen();
    while (this.#received.length === 0) {
      await new Promise<void>((resolve, reject) => {
        this.#pendingRead = { resolve, reject };
      });
    }
    let bytesRead = 0;
    while (bytesRead < length && this.#received.length > 0) {
      const chunk = this.#received[0] as Buffer;
      const n = chunk.copy(buffer, offset + bytesRead, 0, Math.min(chunk.length, length - bytesRead));
      bytesRead += n;
      if (n === chunk.length) this.#received.shift();
      else this.#received[0] = chunk.subarray(n);
    }
    return { buffer, bytesRead };
  }

  async write(buffer: Buffer): Promise<void> {
    if (!Buffer.isBuffer(buffer)) throw new TypeError('"buffer" is not a Buffer');
    if (this.#writing)
      throw new Error("Overlapping writes are not supported and should be queued by the serialport object");
    this.#checkOpen();
    this.#writing = true;
    try {
      this.#printer.fromHost(Buffer.from(buffer));
      await this.#until(
        () => this.#printer.hostBacklog() <= OS_WRITE_BUFFER,
        () => this.#printer.hostTransmittedAt() - OS_WRITE_BUFFER,
      );
    } finally {
      this.#writing = false;
    }
  }

  async update(options: UpdateOptions): Promise<void> {
    if (typeof options?.baudRate !== "number") throw new TypeError('"options.baudRate" is not a number');
    this.#checkOpen();
    this.openOptions.baudRate = options.baudRate;
  }

  /** A rising DTR resets the board (the auto-reset capacitor of Arduino-style boards). */
  async set(options: SetOptions): Promise<void> {
    this.#checkOpen();
    if (options.dtr !== undefined) {
      const rising = options.dtr && !this.#dtr;
      this.#dtr = options.dtr;
      if (rising) this.#printer.hostRaisedDtr();
    }
  }

  async get(): Promise<PortStatus> {
    this.#checkOpen();
    return { cts: true, dsr: true, dcd: true };
  }

  async getBaudRate(): Promise<{ baudRate: number }> {
    this.#checkOpen();
    return { baudRate: this.openOptions.baudRate };
  }

  /** Discards what was received but not read, and what was written but not yet transmitted. */
  async flush(): Promise<void> {
    this.#checkOpen();
    this.#received.length = 0;
    this.#printer.discardHostOutput();
  }

  /** Resolves once every written byte has left the host's side of the wire. */
  async drain(): Promise<void> {
    this.#checkOpen();
    await this.#until(
      () => this.#printer.hostBacklog() === 0,
      () => this.#printer.hostTransmittedAt(),
    );
  }

  async close(): Promise<void> {
    if (!this.isOpen) throw new Error("Port is not open");
    this.isOpen = false;
    for (const detach of this.#detach) detach();
    this.#detach = [];
    this.#received.length = 0;
    this.#onClose();
    this.#rejectRead(new CanceledError("Read canceled: the port was closed"));
  }

  #receive(bytes: Buffer): void {
    if (!this.isOpen) return;
    this.#received.push(Buffer.from(bytes));
    const pending = this.#pendingRead;
    this.#pendingRead = undefined;
    pending?.resolve();
  }

  #disconnect(): void {
    this.#disconnected = true;
    this.#rejectRead(new DisconnectedError("The simulated printer was disconnected"));
  }

  #rejectRead(err: Error): void {
    const pending = this.#pendingRead;
    this.#pendingRead = undefined;
    pending?.reject(err);
  }

  #checkOpen(): void {
    if (!this.isOpen) throw new Error("Port is not open");
    if (this.#disconnected) throw new DisconnectedError("The simulated printer was disconnected");
  }

  /** Waits (on the printer's scheduler) until `done()`, checking at `when()`. */
  async #until(done: () => boolean, when: () => number): Promise<void> {
    while (!done()) {
      await new Promise<void>((resolve) => this.#printer.scheduler.at(when(), resolve));
      if (!this.isOpen) throw new CanceledError("Write canceled: the port was closed");
    }
  }
}

function withDefaults(options: OpenOptions): Required<OpenOptions> {
  return {
    dataBits: 8,
    lock: true,
    stopBits: 1,
    parity: "none",
    rtscts: false,
    xon: false,
    xoff: false,
    xany: false,
    hupcl: true,
    ...options,
  };
}

function nextTick(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}
