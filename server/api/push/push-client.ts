import type { Socket } from "socket.io";
import { can, type Permission } from "../../auth/roles.ts";
import type { PushProgress, PushServerEvents, PushTemperatures, PushTerminalLine } from "../contract.ts";
import type { RequestIdentity } from "../identify.ts";
import { backlogBytes } from "./backlog.ts";
import type { SocketCredential } from "./handshake.ts";
import { LineBatch } from "./line-batch.ts";
import { LatestSlot, Outbox, type OutboxLimits } from "./outbox.ts";

export interface PushRates {
  temperaturesMs: number;
  progressMs: number;
  terminalMs: number;
  /** Terminal lines per batch; more are counted as dropped. */
  terminalLines: number;
  /** Client events accepted per second; more are answered THROTTLED. */
  eventsPerSecond: number;
}

export interface PushClientOptions {
  rates: PushRates;
  limits: OutboxLimits;
  clock: () => number;
  /** A full snapshot for this client (sent after it fell behind). */
  snapshot: (client: PushClient) => unknown;
  /** The terminal subscription was switched on or off. */
  onTerminal: (client: PushClient, on: boolean) => void;
}

/**
 * One connected socket: who it is (re-checked by the hub), what it subscribed to, and its outbox.
 * All it holds is bounded: one value per coalesced topic, one terminal batch, a few pending events.
 */
export class PushClient {
  readonly socket: Socket;
  readonly credential: SocketCredential;
  #identity: RequestIdentity;
  readonly #outbox: Outbox;
  readonly #temperatures = new LatestSlot<PushTemperatures>();
  readonly #progress = new LatestSlot<PushProgress>();
  readonly #lines: LineBatch;
  readonly #eventsPerSecond: number;
  readonly #clock: () => number;
  readonly #onTerminal: PushClientOptions["onTerminal"];
  #terminal = false;
  #windowStart = 0;
  #windowEvents = 0;

  constructor(
    socket: Socket,
    identity: RequestIdentity,
    credential: SocketCredential,
    options: PushClientOptions,
  ) {
    this.socket = socket;
    this.#identity = identity;
    this.credential = credential;
    this.#clock = options.clock;
    this.#onTerminal = options.onTerminal;
    this.#eventsPerSecond = options.rates.eventsPerSecond;
    this.#lines = new LineBatch(options.rates.terminalLines, options.clock);
    this.#outbox = new Outbox({
      send: (name, payload) => {
        socket.emit(name, payload);
      },
      backlog: () => backlogBytes(socket),
      resync: () => ({ name: "snapshot", payload: options.snapshot(this) }),
      limits: options.limits,
    });
    this.#outbox.topic("temperatures", options.rates.temperaturesMs, this.#temperatures);
    this.#outbox.topic("progress", options.rates.progressMs, this.#progress);
    this.#outbox.topic("terminal", options.rates.terminalMs, this.#lines);
  }

  get identity(): RequestIdentity {
    return this.#identity;
  }

  /** The credential's identity as just re-checked; a role that lost `terminal` loses the subscription. */
  set identity(identity: RequestIdentity) {
    this.#identity = identity;
    if (!this.can("terminal")) this.terminal = false;
  }

  can(permission: Permission): boolean {
    return can(this.#identity.role, permission);
  }

  /** Terminal lines subscribed (never true without the `terminal` permission). */
  get terminal(): boolean {
    return this.#terminal;
  }

  set terminal(on: boolean) {
    const was = this.#terminal;
    this.#terminal = on && this.can("terminal");
    if (!this.#terminal) this.#lines.clear();
    if (this.#terminal !== was) this.#onTerminal(this, this.#terminal);
  }

  /** State changes, events, snapshots: sent at once unless the client is far behind. */
  send<K extends "snapshot" | "state" | "event">(name: K, payload: Parameters<PushServerEvents[K]>[0]): void {
    this.#outbox.now(name, payload);
  }

  temperatures(message: PushTemperatures): void {
    this.#temperatures.set(message);
    this.#outbox.poke();
  }

  progress(message: PushProgress): void {
    this.#progress.set(message);
    this.#outbox.poke();
  }

  line(line: PushTerminalLine): void {
    if (!this.#terminal) return;
    this.#lines.add(line);
    this.#outbox.poke();
  }

  /** Counts a client event; false once the client sent more than its rate this second. */
  takeEvent(): boolean {
    const now = this.#clock();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#windowEvents = 0;
    }
    this.#windowEvents++;
    return this.#windowEvents <= this.#eventsPerSecond;
  }

  /** Immediate messages dropped because the client fell too far behind. */
  get dropped(): number {
    return this.#outbox.dropped;
  }

  close(): void {
    this.#outbox.close();
  }
}
