import { readSync, writeSync } from "node:fs";
import type { BindingInterface, BindingPortInterface, OpenOptions } from "@serialport/bindings-interface";

/** The parts of `@serialport/bindings-cpp`'s Unix port this decorator relies on. */
interface UnixPort extends BindingPortInterface {
  fd: number | null;
  poller: { once(event: "readable" | "writable", callback: (err: Error | null) => void): unknown };
}

function isUnixPort(port: BindingPortInterface): port is UnixPort {
  const candidate = port as Partial<UnixPort>;
  return typeof candidate.fd === "number" && typeof candidate.poller?.once === "function";
}

/** Errors after which the device is gone (unplugged, hung-up pty, closed under us). */
const GONE = new Set(["EBADF", "ENXIO", "EIO", "ENODEV"]);
const RETRY = new Set(["EAGAIN", "EWOULDBLOCK", "EINTR"]);

/**
 * Reads and writes a Unix serial port's non-blocking descriptor directly on the event loop.
 *
 * `@serialport/bindings-cpp` does every read as an `fs.read` on the thread pool, which on an idle
 * port first fails with EAGAIN, waits for the poller, then goes to the thread pool again; every write
 * is another thread-pool round trip. In ping-pong streaming that latency is paid on every line. With
 * the descriptor non-blocking (the binding opens it so), `readSync`/`writeSync` return at once, and
 * the binding's poller still does the waiting. Ports without a descriptor (mock, simulator) pass
 * through unchanged.
 */
export function withDirectIo(binding: BindingInterface): BindingInterface {
  return {
    list: () => binding.list(),
    async open(options: OpenOptions): Promise<BindingPortInterface> {
      const port = await binding.open(options);
      if (!isUnixPort(port)) return port;
      return new DirectIoPort(port);
    },
  };
}

class DirectIoPort implements BindingPortInterface {
  readonly #port: UnixPort;

  constructor(port: UnixPort) {
    this.#port = port;
  }

  get openOptions() {
    return this.#port.openOptions;
  }

  get isOpen(): boolean {
    return this.#port.isOpen;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    for (;;) {
      const fd = this.#open();
      try {
        const bytesRead = readSync(fd, buffer, offset, length, null);
        if (bytesRead > 0) return { buffer, bytesRead };
      } catch (err) {
        this.#rethrowUnlessRetry(err);
      }
      await this.#wait("readable");
    }
  }

  async write(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      const fd = this.#open();
      try {
        offset += writeSync(fd, buffer, offset, buffer.length - offset);
        continue;
      } catch (err) {
        this.#rethrowUnlessRetry(err);
      }
      await this.#wait("writable");
    }
  }

  close(): Promise<void> {
    return this.#port.close();
  }

  update(options: { baudRate: number }): Promise<void> {
    return this.#port.update(options);
  }

  set(options: Parameters<BindingPortInterface["set"]>[0]): Promise<void> {
    return this.#port.set(options);
  }

  get(): ReturnType<BindingPortInterface["get"]> {
    return this.#port.get();
  }

  getBaudRate(): ReturnType<BindingPortInterface["getBaudRate"]> {
    return this.#port.getBaudRate();
  }

  flush(): Promise<void> {
    return this.#port.flush();
  }

  drain(): Promise<void> {
    return this.#port.drain();
  }

  /** The descriptor, or the `canceled` error the binding contract asks for once the port is closed. */
  #open(): number {
    const fd = this.#port.fd;
    if (fd === null || !this.#port.isOpen)
      throw Object.assign(new Error("Port is not open"), { canceled: true });
    return fd;
  }

  #rethrowUnlessRetry(err: unknown): void {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    if (RETRY.has(code)) return;
    if (GONE.has(code)) Object.assign(err as object, { disconnect: true });
    throw err;
  }

  /** The poller reports readiness; on close it reports a `canceled` error, which ends the wait. */
  #wait(event: "readable" | "writable"): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#port.poller.once(event, (err) => (err ? reject(err) : resolve()));
    });
  }
}
