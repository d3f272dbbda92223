import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiClient } from "../../helpers/api-client.ts";
import { type AuthEdge, EDGE_PASSWORD, startAuthEdge } from "../../helpers/auth-edge.ts";

// Session expiry through the real HTTP edge (guard, cookies, JSON errors) with the auth store's clock
// driven by hand: the daemon's config does not expose the session rules, and nobody waits 2 hours.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

let edge: AuthEdge;
afterEach(async () => {
  await edge.stop();
});

async function sessionStatus(client: ApiClient): Promise<number> {
  return (await client.get("/api/v1/auth/session")).status;
}

describe("session expiry with the default rules (2 h idle, 24 h absolute, 30 days remembered)", () => {
  beforeEach(async () => {
    edge = await startAuthEdge();
  });

  it("sets an HttpOnly, SameSite=Lax browser-session cookie; a remembered one lasts 30 days", async () => {
    const plain = await new ApiClient(edge.url).post("/api/v1/auth/login", {
      name: "ada",
      password: EDGE_PASSWORD,
    });
    const cookie = plain.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^layerwatch_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Path=/");
    expect(cookie).not.toContain("Max-Age");
    expect(cookie).not.toContain("Secure");
    const remembered = await new ApiClient(edge.url).post("/api/v1/auth/login", {
      name: "ada",
      password: EDGE_PASSWORD,
      remember: true,
    });
    expect(remembered.headers.get("set-cookie")).toContain(`Max-Age=${30 * 86_400}`);
  });

  it("ends a session left idle for 2 hours, with a 401 and the JSON error shape", async () => {
    const client = await edge.addUser("vic", "viewer");
    edge.now += 2 * HOUR - 2 * MINUTE;
    expect(await sessionStatus(client)).toBe(200);
    edge.now += 2 * HOUR - 2 * MINUTE;
    expect(await sessionStatus(client)).toBe(200);
    edge.now += 2 * HOUR + MINUTE;
    const expired = await client.get("/api/v1/auth/session");
    expect(expired).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
    // The expired cookie is no credential, and not an obstacle to logging in again.
    await client.login("vic", EDGE_PASSWORD);
    expect(await sessionStatus(client)).toBe(200);
  });

  it("ends a session 24 hours after login however much it is used", async () => {
    const client = await edge.addUser("vic", "viewer");
    for (let hour = 1; hour < 24; hour++) {
      edge.now += HOUR;
      expect(await sessionStatus(client), `hour ${hour}`).toBe(200);
    }
    edge.now += HOUR;
    expect(await sessionStatus(client)).toBe(401);
  });

  it("keeps a remembered session for 30 days, idle or not, and no longer", async () => {
    const client = new ApiClient(edge.url);
    await client.login("ada", EDGE_PASSWORD, true);
    edge.now += 10 * DAY;
    expect(await sessionStatus(client)).toBe(200);
    edge.now += 19 * DAY;
    expect(await sessionStatus(client)).toBe(200);
    edge.now += DAY + MINUTE;
    expect(await sessionStatus(client)).toBe(401);
  });
});

describe("session expiry with configured rules", () => {
  beforeEach(async () => {
    edge = await startAuthEdge({ idleMs: 5 * MINUTE, touchEveryMs: 0 });
  });

  it("uses the configured idle time", async () => {
    const client = await edge.addUser("vic", "viewer");
    edge.now += 4 * MINUTE;
    expect(await sessionStatus(client)).toBe(200);
    edge.now += 4 * MINUTE;
    expect(await sessionStatus(client)).toBe(200);
    edge.now += 5 * MINUTE + 1;
    expect(await sessionStatus(client)).toBe(401);
  });
});
