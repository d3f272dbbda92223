import { closeSync, constants, openSync, writeSync } from "node:fs";
import { ReadStream } from "node:tty";
import {
  asyncClose,
  asyncDrain,
  asyncFlush,
  asyncGet,
  asyncGetBaudRate,
  asyncOpen,
  asyncSet,
  asyncUpdate,
} from "@serialport/bindings-cpp/dist/load-bindings.js";
import type {
  BindingInterface,
  BindingPortInterface,
  OpenOptions,
  PortInfo,
  PortStatus,
  SetOptions,
  UpdateOptions,
} from "@serialport/bindings-interface";

/** What `@serialport/bindings-cpp`'s Linux binding adds to the caller's open options. */
const OPEN_DEFAULTS = {
  vmin: 1,
  vtime: 0,
  dataBits: 8,
  lock: true,
  stopBits: 1,
  parity: "none",
  rtscts: false,
  xon: false,
  xoff: false,
  xany: false,
  hupcl: true,
} as const;

/** load-bindings' promisified N-API calls (declared `Function` there). */
const native = {
  open: asyncOpen as (path: string, options: object) => Promise<number>,
  close: asyncClose as (fd: number) => Promise<void>,
  update: asyncUpdate as (fd: number, options: UpdateOptions) => Promise<void>,
  set: asyncSet as (fd: number, options: SetOptions) => Promise<void>,
  get: asyncGet as (fd: number) => Promise<PortStatus>,
  getBaudRate: asyncGetBaudRate as (fd: number) => Promise<{ baudRate: number }>,
  flush: asyncFlush as (fd: number) => Promise<void>,
  drain: asyncDrain as (fd: number) => Promise<void>,
};

/** Errors after which the device is gone (unplugged, hung-up pty, closed under us). */
const GONE = new Set(["EBADF", "ENXIO", "EIO", "ENODEV"]);
/** A full output buffer: tried again after this long (the send window keeps far less in flight). */
const WRITE_RETRY_MS = 2;

/**
 * Unix serial ports for a worker thread. `@serialport/bindings-cpp` waits for a readable port with a
 * `uv_poll` on `uv_default_loop()`, the main thread's loop: used from a worker, its callback runs
 * on the main thread and aborts the process ("Cannot create a handle without a HandleScope";
 * serialport/node-serialport#1981, serialport/bindings-cpp#176). Here the binding's N-API calls,
 * which run on the caller's own loop, still open (termios, baud rate, flock), update and close the
 * port, and writes go to its non-blocking descriptor directly (as direct-io-binding.ts does);
 * reads come from a second, read-only descriptor on the same device wrapped in a `tty.ReadStream`,
 * which libuv reads on this thread's loop as bytes arrive.
 *
 * Descriptor facts this relies on: libuv's `uv_tty_init` reopens a tty slave by its name and
 * `dup2`s the new file over the given one (so the stream never shares our file's flags), and the
 * read-only descriptor is opened before the binding's: a host that watches the device with
 * inotify (the simulator's pty link) sees that open, reopen and close before the binding's open,
 * and a read-only close (IN_CLOSE_NOWRITE) that cannot be merged with the binding's IN_CLOSE_WRITE.
 */
export function ttyStreamBinding(list: () => Promise<PortInfo[]>): BindingInterface {
  return {
    list,
    async open(options: OpenOptions): Promise<BindingPortInterface> {
      const openOptions = { ...OPEN_DEFAULTS, ...options } as Required<OpenOptions>;
      const input = openSync(
        openOptions.path,
        constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK,
      );
      let stream: ReadStream;
      try {
        stream = new ReadStream(input);
      } catch (err) {
        closeSync(input);
        throw err;
      }
      try {
        const fd = await native.open(openOptions.path, openOptions);
        return new TtyStreamPort(fd, stream, openOptions);
      } catch (err) {
        stream.destroy();
        throw err;
      }
    },
  };
}

/** An error the serialport stream treats as the device going away (`disconnect`) or our own close (`canceled`). */
function marked(err: Error, flag: "disconnect" | "canceled"): Error {
  return Object.assign(err, { [flag]: true });
}

class TtyStreamPort implements BindingPortInterface {
  readonly openOptions: Required<OpenOptions>;
  /** The binding's descriptor: termios, the lock, writes. null once closed. */
  #fd: number | null;
  readonly #stream: ReadStream;
  readonly #chunks: Buffer[] = [];
  #reader: ((err: Error | null) => void) | null = null;
  #gone: Error | null = null;
  #writing: Promise<void> = Promise.resolve();

  constructor(fd: number, stream: ReadStream, openOptions: Required<OpenOptions>) {
    this.#fd = fd;
    this.#stream = stream;
    this.openOptions = openOptions;
    // Reading starts here, once the binding has put the line in raw mode.
    stream.on("data", (chunk: Buffer) => {
      this.#chunks.push(chunk);
      this.#wake(null);
    });
    stream.on("error", (err: Error) => this.#lose(err));
    stream.on("end", () => this.#lose(new Error("the device closed the link")));
  }

  get isOpen(): boolean {
    return this.#fd !== null;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    for (;;) {
      this.#require();
      const chunk = this.#chunks[0];
      if (chunk !== undefined) {
        const bytesRead = chunk.copy(buffer, offset, 0, Math.min(length, chunk.length));
        if (bytesRead === chunk.length) this.#chunks.shift();
        else this.#chunks[0] = chunk.subarray(bytesRead);
        return { buffer, bytesRead };
      }
      if (this.#gone !== null) throw this.#gone;
      await new Promise<void>((resolve, reject) => {
        this.#reader = (err) => (err ? reject(err) : resolve());
      });
    }
  }

  write(buffer: Buffer): Promise<void> {
    const written = this.#write(buffer);
    this.#writing = written.catch(() => {});
    return written;
  }

  async close(): Promise<void> {
    const fd = this.#require();
    this.#fd = null;
    this.#stream.destroy();
    this.#wake(marked(new Error("Port is not open"), "canceled"));
    await native.close(fd);
  }

  update(options: UpdateOptions): Promise<void> {
    return native.update(this.#require(), options);
  }

  set(options: SetOptions): Promise<void> {
    return native.set(this.#require(), options);
  }

  get(): Promise<PortStatus> {
    return native.get(this.#require());
  }

  getBaudRate(): Promise<{ baudRate: number }> {
    return native.getBaudRate(this.#require());
  }

  async flush(): Promise<void> {
    this.#chunks.length = 0;
    await native.flush(this.#require());
  }

  async drain(): Promise<void> {
    await this.#writing;
    await native.drain(this.#require());
  }

  async #write(buffer: Buffer): Promise<void> {
    let offset = 0;
    while (offset < buffer.length) {
      const fd = this.#require();
      try {
        offset += writeSync(fd, buffer, offset, buffer.length - offset);
        continue;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code ?? "";
        if (GONE.has(code)) throw marked(err as Error, "disconnect");
        if (code !== "EAGAIN" && code !== "EWOULDBLOCK" && code !== "EINTR") throw err;
      }
      await new Promise((resolve) => setTimeout(resolve, WRITE_RETRY_MS));
    }
  }

  /** The binding's descriptor, or the `canceled` error the binding contract asks for once closed. */
  #require(): number {
    if (this.#fd === null) throw marked(new Error("Port is not open"), "canceled");
    return this.#fd;
  }

  #lose(err: Error): void {
    if (this.#gone !== null || this.#fd === null) return;
    this.#gone = marked(err, "disconnect");
    this.#wake(this.#gone);
  }

  #wake(err: Error | null): void {
    const reader = this.#reader;
    this.#reader = null;
    reader?.(err);
  }
}
