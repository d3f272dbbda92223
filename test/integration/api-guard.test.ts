import { io, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { PushAck } from "../../server/api/contract.ts";
import type { SocketEventSpec } from "../../server/api/push/socket-events.ts";
import type { Access, RouteSpec } from "../../server/api/route-registry.ts";
import { can, PERMISSIONS, type Permission, type Role } from "../../server/auth/roles.ts";
import { ApiClient, type ApiResponse } from "../helpers/api-client.ts";
import { addUser, apiKeyFor, startTestDaemon, type TestDaemon } from "../helpers/test-daemon.ts";

/**
 * Issue 4, acceptance 1: every registered HTTP route and push-socket event, read from the running
 * daemon's ApiServer, is refused without credentials (HTTP 401; the socket handshake refused) and
 * refused to roles that lack its permission (HTTP 403; a FORBIDDEN ack). A new route or event is
 * covered the moment it is registered; a new public route fails here until it is listed below.
 */

/** The only routes anyone may call without credentials, each with the reason. Paths as registered (params normalised). */
const PUBLIC_ROUTES: Record<string, string> = {
  "GET /api/v1/health": "liveness and the setup screen's 'needs setup' flag; reveals nothing else",
  "POST /api/v1/setup": "creates the first admin, only with the one-time code from the daemon's log",
  "POST /api/v1/auth/login": "logging in with a name and password (throttled)",
  "POST /api/login":
    "OctoPrint's login (Cura, the apps) with credentials; passive login needs a key or session",
  "GET /plugin/appkeys/probe": "OctoPrint app-keys flow: tells a slicer or app that the flow is supported",
  "POST /plugin/appkeys/request":
    "OctoPrint app-keys flow: asks for a key, which a signed-in user must approve",
  "GET /plugin/appkeys/request/:param": "OctoPrint app-keys flow: polls for the user's decision by app token",
};
/** Must exist and be public, or the dashboard cannot start. */
const REQUIRED_PUBLIC = ["GET /api/v1/health", "POST /api/v1/setup", "POST /api/v1/auth/login"];

/** `GET /api/files/:origin/*path` → `GET /api/files/:param/*path`: names of parameters do not matter. */
function routeKey(route: Pick<RouteSpec, "method" | "path">): string {
  const path = route.path.replace(/:[A-Za-z_$][\w$]*/g, ":param").replace(/\*[A-Za-z_$][\w$]*/g, "*path");
  return `${route.method.toUpperCase()} ${path}`;
}

/**
 * A concrete URL path for an express 5 route: `:id`-like parameters get a number no row has, other
 * parameters a plain word, wildcards a nested file name; optional `{…}` groups are filled in too.
 */
function samplePath(path: string): string {
  return path
    .replace(/[{}]/g, "")
    .replace(/:([A-Za-z_$][\w$]*)/g, (_, name: string) => (/id$/i.test(name) ? "987654" : "guard-sample"))
    .replace(/\*[A-Za-z_$][\w$]*/g, "guard-sample/none.gcode");
}

function describeRoute(route: RouteSpec): string {
  return `${route.method.toUpperCase()} ${route.path} (${route.access})`;
}

/** A request for `route` with harmless sample parameters and an empty JSON object as the body. */
function call(
  client: ApiClient,
  route: RouteSpec,
  options: { apiKey?: string; headers?: Record<string, string>; origin?: string | null } = {},
): Promise<ApiResponse> {
  const method = route.method.toUpperCase();
  const withBody = method !== "GET" && method !== "DELETE";
  return client.request(method, samplePath(route.path), { ...options, ...(withBody ? { json: {} } : {}) });
}

function isPermission(access: Access): access is Permission {
  return (PERMISSIONS as readonly string[]).includes(access);
}

let t: TestDaemon;
let routes: readonly RouteSpec[];
let socketEvents: readonly SocketEventSpec[];

beforeAll(async () => {
  t = await startTestDaemon();
  routes = t.parts.api.routes;
  socketEvents = t.parts.api.socketEvents;
});
afterAll(async () => {
  await t?.stop();
});

describe("the route registry", () => {
  it("declares a known access rule for every route", () => {
    expect(routes.length).toBeGreaterThan(REQUIRED_PUBLIC.length);
    for (const route of routes) {
      expect(
        route.access === "public" || route.access === "authenticated" || isPermission(route.access),
        describeRoute(route),
      ).toBe(true);
    }
  });

  it("has exactly the listed public routes, and no others", () => {
    const publicRoutes = routes.filter((r) => r.access === "public").map(routeKey);
    const unlisted = publicRoutes.filter((key) => PUBLIC_ROUTES[key] === undefined);
    expect(unlisted, "public routes not in PUBLIC_ROUTES: guard them, or list them with a reason").toEqual(
      [],
    );
    for (const key of REQUIRED_PUBLIC) expect(publicRoutes, key).toContain(key);
  });
});

describe("HTTP routes without credentials", () => {
  it("answers 401 on every non-public route: no credentials, an unknown key, a made-up session", async () => {
    const anonymous = new ApiClient(t.url);
    const guarded = routes.filter((r) => r.access !== "public");
    const wrong: Record<string, string>[] = [
      {},
      { "x-api-key": `lw_${"A".repeat(43)}` },
      { authorization: `Bearer lw_${"B".repeat(43)}` },
      { cookie: `layerwatch_session=${"C".repeat(43)}` },
    ];
    const failures: string[] = [];
    for (const route of guarded) {
      for (const headers of wrong) {
        const res = await call(anonymous, route, { headers, origin: null });
        const code = (res.body as { error?: { code?: string } }).error?.code;
        if (res.status !== 401 || code !== "UNAUTHORIZED")
          failures.push(`${describeRoute(route)} with ${JSON.stringify(headers)}: ${res.status} ${code}`);
      }
    }
    expect(failures).toEqual([]);
    expect(guarded.length).toBeGreaterThan(0);
  });
});

describe("HTTP routes for roles without the permission", () => {
  async function expectForbidden(role: Role): Promise<number> {
    const session = await addUser(t, `guard-${role}`, role);
    const key = await apiKeyFor(t, `guard-${role}-key`, role);
    const keyClient = new ApiClient(t.url);
    const refused = routes.filter((r) => isPermission(r.access) && !can(role, r.access as Permission));
    const failures: string[] = [];
    for (const route of refused) {
      for (const [via, res] of [
        ["session", await call(session, route)],
        ["API key", await call(keyClient, route, { apiKey: key })],
      ] as const) {
        const error = (res.body as { error?: { code?: string; message?: string } }).error;
        // The message names the missing permission: refused for the role, not for CSRF or anything else.
        if (
          res.status !== 403 ||
          error?.code !== "FORBIDDEN" ||
          !error.message?.includes(`needs ${route.access}`)
        )
          failures.push(
            `${describeRoute(route)} as ${role} via ${via}: ${res.status} ${JSON.stringify(error)}`,
          );
      }
    }
    expect(failures).toEqual([]);
    // Still signed in: the refusals changed nothing.
    expect((await session.get("/api/v1/auth/session")).status).toBe(200);
    return refused.length;
  }

  it("answers 403 to a viewer (session and API key) on every route needing a permission viewers lack", async () => {
    expect(await expectForbidden("viewer")).toBeGreaterThan(0);
  });

  it("answers 403 to an operator on every admin route", async () => {
    expect(await expectForbidden("operator")).toBeGreaterThan(0);
  });
});

type Refusal = Error & { data?: { code: string; message: string } };
const sockets: Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

/** A socket.io client as the dashboard (cookie + this server's Origin) or a script (`auth: { apiKey }`) makes it. */
function socket(options: { headers?: Record<string, string>; apiKey?: string }): Socket {
  const client = io(t.url, {
    path: "/socket.io",
    transports: ["websocket"],
    reconnection: false,
    forceNew: true,
    extraHeaders: options.headers ?? {},
    auth: options.apiKey !== undefined ? { apiKey: options.apiKey } : {},
  });
  sockets.push(client);
  return client;
}

function outcome(client: Socket): Promise<Refusal | "connected"> {
  return new Promise((resolve) => {
    client.once("connect", () => resolve("connected"));
    client.once("connect_error", (err: Refusal) => resolve(err));
  });
}

function emit(client: Socket, event: string, payload: unknown): Promise<PushAck<unknown>> {
  return client.timeout(5_000).emitWithAck(event, payload) as Promise<PushAck<unknown>>;
}

describe("push socket events", () => {
  it("has a permission for every client event", () => {
    expect(socketEvents.length).toBeGreaterThan(0);
    for (const event of socketEvents) expect(isPermission(event.access), event.name).toBe(true);
  });

  it("refuses the handshake without credentials, so no event is reachable: none, an unknown key, a made-up session", async () => {
    const wrong: { headers?: Record<string, string>; apiKey?: string }[] = [
      {},
      { apiKey: `lw_${"A".repeat(43)}` },
      { headers: { "x-api-key": `lw_${"B".repeat(43)}` } },
      { headers: { cookie: `layerwatch_session=${"C".repeat(43)}`, origin: t.url } },
    ];
    for (const options of wrong) {
      const result = await outcome(socket(options));
      expect(result === "connected" ? "connected" : result.data, JSON.stringify(options)).toEqual({
        code: "UNAUTHORIZED",
        message: expect.any(String),
      });
    }
  });

  async function expectForbiddenEvents(role: Role): Promise<number> {
    const session = await addUser(t, `sock-${role}`, role);
    const key = await apiKeyFor(t, `sock-${role}-key`, role);
    const refused = socketEvents.filter((e) => !can(role, e.access));
    const clients: [string, { headers?: Record<string, string>; apiKey?: string }][] = [
      ["session", { headers: { cookie: session.cookieHeader ?? "", origin: t.url } }],
      ["API key", { apiKey: key }],
    ];
    const failures: string[] = [];
    for (const [via, options] of clients) {
      const client = socket(options);
      expect(await outcome(client), via).toBe("connected");
      for (const event of refused) {
        // The permission is checked before the payload is parsed: an empty object is harmless.
        const ack = await emit(client, event.name, {});
        if (ack.ok || ack.error.code !== "FORBIDDEN" || !ack.error.message.includes(`needs ${event.access}`))
          failures.push(`${event.name} (${event.access}) as ${role} via ${via}: ${JSON.stringify(ack)}`);
      }
    }
    expect(failures).toEqual([]);
    return refused.length;
  }

  it("answers FORBIDDEN to a viewer (session and API key) on every event needing a permission viewers lack", async () => {
    expect(await expectForbiddenEvents("viewer")).toBeGreaterThan(0);
  });

  it("answers FORBIDDEN to an operator on every admin-only event", async () => {
    await expectForbiddenEvents("operator");
  });

  it("does not let a viewer subscribe to terminal lines (operators and admins only)", async () => {
    const client = socket({ apiKey: await apiKeyFor(t, "sock-terminal-viewer", "viewer") });
    expect(await outcome(client)).toBe("connected");
    const ack = await emit(client, "subscribe", { terminal: true });
    expect(ack).toMatchObject({ ok: false, error: { code: "FORBIDDEN" } });
  });
});
