import { closeSync, read } from "node:fs";
import { ReadStream } from "node:tty";
import type { Logger } from "../util/log.ts";
import type { SimulatedPrinter } from "./printer.ts";

/** Descriptors handed over by `pty-exec.py`. */
export const PTY_MASTER_FD = 3;
export const PTY_SLAVE_FD = 4;

/** inotify event masks (`<sys/inotify.h>`). */
const IN_CLOSE_WRITE = 0x08;
const IN_CLOSE_NOWRITE = 0x10;
const IN_OPEN = 0x20;
const EVENT_HEADER_BYTES = 16;

/**
 * After a host opens the slave, serialport/pyserial flush the tty (`tcflush(TCIOFLUSH)`) while
 * configuring it; output written in that window would be discarded, so it is held this long.
 */
const OPEN_SETTLE_MS = 10;

/**
 * A hung-up slave reads as EOF, which bindings-cpp's `unixRead()` retries forever; only a host
 * parked in poll() sees the hangup as an error (EBADF → `disconnected: true`). So after the board
 * goes quiet, the pty stays open this long for the host to finish reading and park before it closes.
 */
const UNPLUG_QUIET_MS = 100;

export interface PtyLinkOptions {
  /** The inotify descriptor watching the slave, when pty-exec.py could create one. */
  watchFd: number | null;
  logger?: Logger;
  /**
   * Never let the event loop sleep: the process busy-waits (one core) so that bytes from the host
   * are read as they arrive, not after the operating system wakes the process. For paced links,
   * whose timing would otherwise carry the simulator's own wake-up latency (tens to hundreds of
   * microseconds on a VM) on top of the modelled wire.
   */
  keepAwake?: boolean;
}

/**
 * The simulated printer on the master side of a pseudo-terminal. With the watch descriptor it
 * knows when hosts open and close the slave: output is dropped while no host has the port open (a
 * real serial line with nobody listening), and each first open resets the board (DTR).
 */
export class PtyLink {
  readonly #printer: SimulatedPrinter;
  readonly #options: PtyLinkOptions;
  #stream: ReadStream | undefined;
  #hostOpens = 0;
  #holdUntil = 0;
  #held: Buffer[] = [];
  #closed = false;
  #onDropped: (() => void) | undefined;
  #awake: NodeJS.Immediate | undefined;

  constructor(printer: SimulatedPrinter, options: PtyLinkOptions) {
    this.#printer = printer;
    this.#options = options;
  }

  /** Starts relaying; `onDropped` runs after a simulated disconnect has closed the pty. */
  start(onDropped: () => void): void {
    this.#onDropped = onDropped;
    const stream = new ReadStream(PTY_MASTER_FD);
    this.#stream = stream;
    stream.on("data", (bytes: Buffer) => this.#printer.fromHost(bytes));
    stream.on("error", (err) => this.#options.logger?.warn({ err: err.message }, "pty master error"));
    this.#printer.onToHost((bytes) => this.#toHost(bytes));
    this.#printer.onDisconnect(() => this.#drop());
    if (this.#options.watchFd !== null) this.#watch(this.#options.watchFd);
    else this.#hostOpens = 1;
    if (this.#options.keepAwake) this.#stayAwake();
  }

  /** A setImmediate loop: each turn polls for I/O without blocking. */
  #stayAwake(): void {
    const turn = (): void => {
      this.#awake = this.#closed ? undefined : setImmediate(turn);
    };
    turn();
  }

  /**
   * Stops relaying and closes both pty descriptors (the process is about to exit). Closing the
   * slave also wakes the inotify read blocked in the thread pool (IN_CLOSE_WRITE), which Node would
   * otherwise wait for forever while exiting.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#release();
  }

  #toHost(bytes: Buffer): void {
    if (this.#closed || this.#hostOpens === 0) return;
    const now = this.#printer.scheduler.now();
    if (now < this.#holdUntil) {
      if (this.#held.length === 0) this.#printer.scheduler.at(this.#holdUntil, () => this.#releaseHeld());
      this.#held.push(bytes);
      return;
    }
    this.#stream?.write(bytes);
  }

  #releaseHeld(): void {
    const held = this.#held;
    this.#held = [];
    if (this.#closed || this.#hostOpens === 0) return;
    for (const bytes of held) this.#stream?.write(bytes);
  }

  /** Unplugged: the master closes and the slave goes too, so the host sees a hangup. */
  #drop(): void {
    if (this.#closed) return;
    this.#closed = true;
    setTimeout(() => {
      this.#release();
      this.#onDropped?.();
    }, UNPLUG_QUIET_MS);
  }

  #release(): void {
    if (this.#awake !== undefined) clearImmediate(this.#awake);
    this.#awake = undefined;
    this.#stream?.destroy();
    this.#held = [];
    try {
      closeSync(PTY_SLAVE_FD);
    } catch {
      // already closed
    }
  }

  #opened(): void {
    this.#hostOpens++;
    if (this.#hostOpens !== 1) return;
    this.#holdUntil = this.#printer.scheduler.now() + OPEN_SETTLE_MS;
    this.#printer.hostOpened();
  }

  #closedByHost(): void {
    this.#hostOpens = Math.max(0, this.#hostOpens - 1);
    if (this.#hostOpens === 0) this.#held = [];
  }

  /** Blocking reads of the inotify descriptor on the libuv thread pool, one batch at a time. */
  #watch(fd: number): void {
    const buffer = Buffer.alloc(4096);
    const next = (): void =>
      read(fd, buffer, 0, buffer.length, null, (err, n) => {
        if (err !== null || this.#closed) return;
        for (let at = 0; at + EVENT_HEADER_BYTES <= n; ) {
          const mask = buffer.readUInt32LE(at + 4);
          if (mask & IN_OPEN) this.#opened();
          if (mask & (IN_CLOSE_WRITE | IN_CLOSE_NOWRITE)) this.#closedByHost();
          at += EVENT_HEADER_BYTES + buffer.readUInt32LE(at + 12);
        }
        next();
      });
    next();
  }
}
