import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { io, type Socket } from "socket.io-client";
import type { PushServerEvents } from "../../../../server/api/contract.ts";
import { SESSION_COOKIE } from "../../../../server/api/identify.ts";
import { PushHub, type PushOptions } from "../../../../server/api/push/push-hub.ts";
import { AuthStore } from "../../../../server/auth/auth-store.ts";
import type { Role } from "../../../../server/auth/roles.ts";
import type { Engine, EngineEvents, EngineSnapshot } from "../../../../server/jobs/engine/engine.ts";
import { EngineEventHub } from "../../../../server/jobs/engine/engine-event-hub.ts";
import type { EngineEventName } from "../../../../server/jobs/engine/engine-snapshot.ts";
import { HostError } from "../../../../server/util/errors.ts";
import { silentLogger } from "../../../../server/util/log.ts";

export const PASSWORD = "correct horse battery";

/** An Engine with no printer: tests publish its events and see what `send` was asked. */
export class FakeEngine implements Engine {
  readonly events = new EngineEventHub(silentLogger());
  readonly sent: string[] = [];
  emergencyStops = 0;
  sendError: HostError | null = null;

  snapshot(): EngineSnapshot {
    return this.events.snapshot;
  }

  on<K extends EngineEventName>(event: K, listener: (...args: EngineEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  emit<K extends EngineEventName>(event: K, ...args: EngineEvents[K]): void {
    this.events.publish({ event, args } as never);
  }

  async send(command: string): Promise<void> {
    if (this.sendError !== null) throw this.sendError;
    this.sent.push(command);
  }

  /** connecting → idle, as after a connect. */
  linked(): void {
    this.emit("state", { from: "disconnected", to: "connecting", reason: "opening the port" });
    this.emit("state", { from: "connecting", to: "idle", reason: "connected" });
  }

  async emergencyStop(): Promise<void> {
    this.emergencyStops++;
  }

  connect = unsupported;
  disconnect = unsupported;
  print = unsupported;
  pause = unsupported;
  resume = unsupported;
  cancel = unsupported;
  resumeInterrupted = unsupported;
  discardInterrupted = unsupported;
  configure = unsupported;
  whenFinished = () => null;
  stop = async () => {};
}

async function unsupported(): Promise<never> {
  throw new HostError("INVALID_STATE", "not in the fake engine");
}

export interface ConnectOptions {
  apiKey?: string;
  /** Sent as the session cookie. */
  session?: string;
  /** Default: the server's own origin when a session is sent. null: none. */
  origin?: string | null;
}

export type TestSocket = Socket<PushServerEvents>;

/** A PushHub on a real port over a real AuthStore (admin "ada", plus users made with `user`). */
export class HubFixture {
  readonly engine = new FakeEngine();
  readonly hub: PushHub;
  readonly auth: AuthStore;
  readonly #server: Server;
  readonly #dir: string;
  readonly #sockets: TestSocket[] = [];

  private constructor(dir: string, options: Partial<PushOptions>) {
    this.#dir = dir;
    this.auth = new AuthStore({
      path: join(dir, "auth.db"),
      log: silentLogger(),
      scrypt: { N: 1024, r: 8, p: 1 },
    });
    this.auth.open();
    this.hub = new PushHub({
      engine: this.engine,
      auth: this.auth,
      log: silentLogger(),
      trustedOrigins: [],
      options,
    });
    this.#server = createServer((_req, res) => {
      res.statusCode = 204;
      res.end();
    });
  }

  static async start(options: Partial<PushOptions> = {}): Promise<HubFixture> {
    const fixture = new HubFixture(await mkdtemp(join(tmpdir(), "layerwatch-push-")), options);
    const code = fixture.auth.setupCode() as string;
    await fixture.auth.createFirstAdmin(code, "ada", PASSWORD);
    fixture.hub.attach(fixture.#server);
    await new Promise<void>((resolve) => fixture.#server.listen(0, "127.0.0.1", resolve));
    return fixture;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** A new user; returns a session token and an API key of theirs. */
  async user(name: string, role: Role): Promise<{ id: number; session: string; apiKey: string }> {
    const user = await this.auth.createUser({ name, role, password: PASSWORD });
    const login = await this.auth.login({ name, password: PASSWORD, ip: "127.0.0.1" });
    return { id: user.id, session: login.token, apiKey: this.auth.createApiKey(user.id, "test").key };
  }

  /** A socket.io client (not yet connected: call connected() or refused()). */
  socket(options: ConnectOptions): TestSocket {
    const headers: Record<string, string> = {};
    if (options.session !== undefined) headers.cookie = `${SESSION_COOKIE}=${options.session}`;
    const origin =
      options.origin === undefined ? (options.session !== undefined ? this.url : null) : options.origin;
    if (origin !== null) headers.origin = origin;
    const socket: TestSocket = io(this.url, {
      path: "/socket.io",
      transports: ["websocket"],
      reconnection: false,
      forceNew: true,
      extraHeaders: headers,
      auth: options.apiKey !== undefined ? { apiKey: options.apiKey } : {},
    });
    this.#sockets.push(socket);
    return socket;
  }

  /** A connected client and the snapshot it was sent first. */
  async connected(
    options: ConnectOptions,
  ): Promise<{ socket: TestSocket; snapshot: Parameters<PushServerEvents["snapshot"]>[0] }> {
    const socket = this.socket(options);
    const snapshot = await new Promise<Parameters<PushServerEvents["snapshot"]>[0]>((resolve, reject) => {
      socket.once("snapshot", resolve);
      socket.once("connect_error", reject);
    });
    return { socket, snapshot };
  }

  /** The connect_error a refused client gets. */
  async refused(options: ConnectOptions): Promise<Error & { data?: { code: string; message: string } }> {
    const socket = this.socket(options);
    return new Promise((resolve, reject) => {
      socket.once("connect", () => reject(new Error("connected, but expected a refusal")));
      socket.once("connect_error", resolve);
    });
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.disconnect();
    await this.hub.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.auth.close();
    await rm(this.#dir, { recursive: true, force: true });
  }
}

/** The next `event` message on a socket. */
export function next<K extends keyof PushServerEvents>(
  socket: TestSocket,
  event: K,
): Promise<Parameters<PushServerEvents[K]>[0]> {
  return new Promise((resolve) => {
    socket.once(event, ((payload: Parameters<PushServerEvents[K]>[0]) => resolve(payload)) as never);
  });
}
