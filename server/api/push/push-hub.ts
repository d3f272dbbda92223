import type { Server as HttpServer, IncomingMessage, ServerResponse } from "node:http";
import { Server, type Socket } from "socket.io";
import type { AuthStore } from "../../auth/auth-store.ts";
import { can } from "../../auth/roles.ts";
import type { Engine, Unsubscribe } from "../../jobs/engine/engine.ts";
import { HostError, isHostError } from "../../util/errors.ts";
import type { Logger } from "../../util/log.ts";
import type { MediaDeps } from "../api-deps.ts";
import type { PushAck, PushClosing, PushEvent, PushSnapshot } from "../contract.ts";
import { timelapseUrls } from "../routes/timelapse-urls.ts";
import { parseInput } from "../validate.ts";
import { type Admission, admit, authenticate } from "./handshake.ts";
import type { OutboxLimits } from "./outbox.ts";
import { PushClient, type PushRates } from "./push-client.ts";
import {
  errorEvent,
  finishedEvent,
  interruptedEvent,
  pushFirmware,
  snapshotMessage,
} from "./push-messages.ts";
import { forbidden, SOCKET_EVENTS, type SocketEventSpec } from "./socket-events.ts";

export const PUSH_PATH = "/socket.io";

export interface PushOptions {
  rates: PushRates;
  limits: OutboxLimits;
  /** Every socket's credential is checked again this often, and after each successful state-changing HTTP request. */
  recheckMs: number;
  /** The largest message a client may send, bytes. */
  maxMessageBytes: number;
}

export const DEFAULT_PUSH_OPTIONS: PushOptions = {
  rates: { temperaturesMs: 500, progressMs: 1000, terminalMs: 250, terminalLines: 50, eventsPerSecond: 20 },
  limits: { softBytes: 64 * 1024, hardBytes: 1024 * 1024, maxPending: 32, retryMs: 100 },
  recheckMs: 30_000,
  maxMessageBytes: 16 * 1024,
};

export interface PushHubDeps {
  engine: Engine;
  /** Time-lapse events, when the daemon has a camera. */
  media?: MediaDeps;
  auth: AuthStore;
  log: Logger;
  /** Origins besides the server's own whose pages may open a cookie-authenticated socket. */
  trustedOrigins: readonly string[];
  /** ms since the epoch, for the messages' `at`; Date.now by default. */
  clock?: () => number;
  options?: Partial<PushOptions>;
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const KNOWN_EVENTS = new Set(SOCKET_EVENTS.map((e) => e.name));
type Ack = (answer: PushAck<unknown>) => void;

/**
 * The push socket: socket.io on the API's http.Server, WebSocket transport only (no long-polling),
 * authenticated in the handshake (handshake.ts). Engine events fan out to every client through its
 * bounded outbox (outbox.ts): state changes and events at once, temperatures, progress and
 * terminal lines coalesced. Client events come only from SOCKET_EVENTS, each behind its permission.
 * An open socket counts as use of its session (the periodic check touches it, as a request would).
 */
export class PushHub {
  readonly #deps: PushHubDeps;
  readonly #options: PushOptions;
  readonly #clock: () => number;
  readonly #clients = new Set<PushClient>();
  /** The clients subscribed to terminal lines: a print's every `ok` is a line, most clients want none. */
  readonly #terminal = new Set<PushClient>();
  #io: Server | null = null;
  #http: HttpServer | null = null;
  #off: Unsubscribe[] = [];
  /** The engine's `line` subscription, held only while some client watches the terminal. */
  #lines: Unsubscribe | null = null;
  #timer: NodeJS.Timeout | null = null;
  #recheckQueued = false;

  constructor(deps: PushHubDeps) {
    this.#deps = deps;
    this.#options = { ...DEFAULT_PUSH_OPTIONS, ...deps.options };
    this.#clock = deps.clock ?? Date.now;
  }

  /** Every client event with its permission (what the guard test enumerates). */
  get events(): readonly SocketEventSpec[] {
    return SOCKET_EVENTS;
  }

  get clientCount(): number {
    return this.#clients.size;
  }

  attach(server: HttpServer): void {
    const io = new Server(server, {
      path: PUSH_PATH,
      transports: ["websocket"],
      serveClient: false,
      maxHttpBufferSize: this.#options.maxMessageBytes,
      connectTimeout: 10_000,
    });
    io.use((socket, next) => {
      try {
        socket.data = admit(this.#deps.auth, this.#deps.trustedOrigins, socket.handshake);
        next();
      } catch (err) {
        const { code, message } = this.#errorOf(err);
        next(Object.assign(new Error(code), { data: { code, message } }));
      }
    });
    io.on("connection", (socket) => this.#connected(socket));
    this.#off = this.#subscribe(this.#deps.engine);
    this.#timer = setInterval(() => this.recheck(), this.#options.recheckMs);
    this.#timer.unref();
    server.on("request", this.#onRequest);
    this.#io = io;
    this.#http = server;
  }

  /** Checks every socket's credential now: ended ones are closed, changed roles take effect. */
  recheck(): void {
    for (const client of [...this.#clients]) {
      const ended = this.#verify(client);
      if (ended !== null) this.#end(client, ended);
    }
  }

  /** Closes every socket (they are told SHUTDOWN); the http.Server is left to its owner. */
  async close(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    for (const off of this.#off) off();
    this.#off = [];
    this.#http?.off("request", this.#onRequest);
    this.#http = null;
    for (const client of [...this.#clients])
      this.#end(client, { code: "SHUTDOWN", message: "the daemon is stopping" });
    const io = this.#io;
    this.#io = null;
    if (io !== null) {
      io.disconnectSockets(true);
      io.engine.close();
    }
  }

  #connected(socket: Socket): void {
    const { identity, credential } = socket.data as Admission;
    const client = new PushClient(socket, identity, credential, {
      rates: this.#options.rates,
      limits: this.#options.limits,
      clock: this.#clock,
      snapshot: (c) => this.#snapshot(c),
      onTerminal: (c, on) => this.#watchTerminal(c, on),
    });
    this.#clients.add(client);
    for (const spec of SOCKET_EVENTS)
      socket.on(spec.name, (...args: unknown[]) => void this.#dispatch(client, spec, args));
    socket.onAny((name: string, ...args: unknown[]) => {
      if (!KNOWN_EVENTS.has(name as SocketEventSpec["name"]))
        ackOf(args)?.({ ok: false, error: { code: "NOT_FOUND", message: `no such event '${name}'` } });
    });
    socket.on("disconnect", () => {
      client.close();
      this.#clients.delete(client);
      this.#watchTerminal(client, false);
    });
    client.send("snapshot", this.#snapshot(client));
  }

  /** Throttle, credential as of now, permission, input, then the handler; always one ack. */
  async #dispatch(client: PushClient, spec: SocketEventSpec, args: unknown[]): Promise<void> {
    const ack = ackOf(args);
    let answer: PushAck<unknown>;
    try {
      if (!client.takeEvent())
        throw new HostError("THROTTLED", "too many socket events; slow down", { retryAfterSeconds: 1 });
      const ended = this.#verify(client);
      if (ended !== null) {
        ack?.({ ok: false, error: ended });
        this.#end(client, ended);
        return;
      }
      if (!client.can(spec.access)) throw forbidden(client.identity.role, spec.access);
      const input = parseInput(spec.input, args[0], spec.name);
      const data = await spec.handler({ client, engine: this.#deps.engine, log: this.#deps.log }, input);
      answer = { ok: true, data: data ?? null };
    } catch (err) {
      answer = { ok: false, error: this.#errorOf(err) };
    }
    ack?.(answer);
  }

  /**
   * The client's credential as it stands now: the identity (and so the permissions) is updated, a
   * changed role gets a new snapshot. Returns why the client must go, or null.
   */
  #verify(client: PushClient): PushClosing | null {
    let identity: Admission["identity"];
    try {
      identity = authenticate(this.#deps.auth, client.credential);
    } catch (err) {
      if (!isHostError(err, "UNAUTHORIZED")) {
        this.#deps.log.warn({ err }, "a push socket's credential could not be checked; kept for now");
        return null;
      }
      return {
        code: "UNAUTHORIZED",
        message:
          client.credential.kind === "session"
            ? "the session ended (logged out, expired, or the user was disabled)"
            : "the API key was revoked or its user disabled",
      };
    }
    if (!can(identity.role, "state:read"))
      return { code: "FORBIDDEN", message: `a ${identity.role} may not read the printer state` };
    const roleChanged = identity.role !== client.identity.role;
    client.identity = identity;
    if (roleChanged) client.send("snapshot", this.#snapshot(client));
    return null;
  }

  #end(client: PushClient, closing: PushClosing): void {
    if (!this.#clients.delete(client)) return;
    this.#watchTerminal(client, false);
    client.close();
    client.socket.emit("closing", closing);
    client.socket.disconnect(true);
    this.#deps.log.info(
      { user: client.identity.name, code: closing.code },
      `push socket closed: ${closing.message}`,
    );
  }

  /**
   * Adds or removes a terminal watcher; the hub listens to the engine's lines only while there is
   * one (the engine then stops sending them across its thread boundary).
   */
  #watchTerminal(client: PushClient, on: boolean): void {
    if (on) this.#terminal.add(client);
    else this.#terminal.delete(client);
    if (this.#terminal.size > 0 && this.#lines === null) {
      this.#lines = this.#deps.engine.on("line", (dir, text) => {
        const line = { dir, text };
        for (const watcher of this.#terminal) watcher.line(line);
      });
    } else if (this.#terminal.size === 0 && this.#lines !== null) {
      this.#lines();
      this.#lines = null;
    }
  }

  #snapshot(client: PushClient): PushSnapshot {
    return snapshotMessage(this.#deps.engine.snapshot(), client.identity, client.terminal, this.#clock());
  }

  #subscribe(engine: Engine): Unsubscribe[] {
    const at = this.#clock;
    const event = (e: PushEvent): void => {
      for (const client of this.#clients) client.send("event", e);
    };
    const timelapses = this.#deps.media?.timelapses;
    const media: Unsubscribe[] =
      timelapses === undefined
        ? []
        : [
            timelapses.on("warning", (w) => event({ type: "timelapseWarning", at: at(), ...w })),
            timelapses.on("renderProgress", (r) =>
              event({
                type: "timelapseRendering",
                at: at(),
                name: r.name,
                jobId: r.jobId,
                fraction: r.fraction,
              }),
            ),
            timelapses.on("rendered", (v) =>
              event({
                type: "timelapseRendered",
                at: at(),
                name: v.name,
                jobId: v.jobId,
                ...timelapseUrls(v.name),
              }),
            ),
            timelapses.on("renderFailed", (f) =>
              event({ type: "timelapseFailed", at: at(), jobId: f.jobId, message: f.message }),
            ),
          ];
    return [
      ...media,
      engine.on("state", ({ from, to, reason }) => {
        const message = { at: at(), from, to, reason };
        for (const client of this.#clients) client.send("state", message);
      }),
      engine.on("temperatures", (temperatures) => {
        const message = { at: at(), temperatures };
        for (const client of this.#clients) client.temperatures(message);
      }),
      engine.on("progress", (progress) => {
        const message = { ...progress, at: at() };
        for (const client of this.#clients) client.progress(message);
      }),
      engine.on("started", (job) => event({ type: "started", at: at(), ...job })),
      engine.on("paused", (by) => event({ type: "paused", at: at(), by })),
      engine.on("resumed", () => event({ type: "resumed", at: at() })),
      engine.on("finished", (outcome) => event(finishedEvent(outcome, at()))),
      engine.on("interrupted", (point) => event(interruptedEvent(point, at()))),
      engine.on("firmware", (firmware) =>
        event({ type: "firmware", at: at(), firmware: pushFirmware(firmware) }),
      ),
      engine.on("action", (action, params) => event({ type: "action", at: at(), action, params })),
      engine.on("failure", (error) => event(errorEvent(error, at()))),
    ];
  }

  /** Identities may have changed after a successful state-changing request (logout, role, key). */
  readonly #onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (SAFE_METHODS.has(req.method ?? "GET")) return;
    res.once("finish", () => {
      if (res.statusCode >= 400 || this.#recheckQueued) return;
      this.#recheckQueued = true;
      setImmediate(() => {
        this.#recheckQueued = false;
        this.recheck();
      });
    });
  };

  #errorOf(err: unknown): { code: string; message: string } {
    if (isHostError(err)) return { code: err.code, message: err.message };
    this.#deps.log.error({ err }, "unexpected error in the push socket");
    return { code: "INTERNAL", message: "an unexpected error happened; the daemon's log has the details" };
  }
}

/** socket.io passes the acknowledgement callback last, when the client asked for one. */
function ackOf(args: unknown[]): Ack | null {
  const last = args.at(-1);
  return typeof last === "function" ? (last as Ack) : null;
}
