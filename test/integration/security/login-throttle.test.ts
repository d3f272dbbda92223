import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "../../helpers/api-client.ts";
import { addUser, PASSWORD, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";

// Two client addresses: the daemon is configured as behind a reverse proxy on loopback (trustProxy),
// so the address it throttles is the one in X-Forwarded-For, as for a real deployment behind a proxy.
const HOME = "192.0.2.10";
const OFFICE = "192.0.2.20";
const SPRAYER = "198.51.100.7";

let t: TestDaemon;
beforeAll(async () => {
  t = await startTestDaemon({ config: { http: { trustProxy: "loopback" } } });
  await addUser(t, "vic", "viewer");
  await addUser(t, "olga", "operator");
});
afterAll(async () => {
  await t?.stop();
});

function login(from: string, name: string, password: string): Promise<ApiResponse> {
  return t.client().post("/api/v1/auth/login", { name, password }, { headers: { "x-forwarded-for": from } });
}

function summary(res: ApiResponse): { status: number; body: unknown } {
  return { status: res.status, body: res.body };
}

function expectThrottled(res: ApiResponse, what: string): void {
  expect(summary(res), what).toEqual({
    status: 429,
    body: { error: { code: "THROTTLED", message: expect.stringMatching(/too many failed attempts/) } },
  });
  const retry = Number(res.headers.get("retry-after"));
  expect(retry, what).toBeGreaterThanOrEqual(1);
  expect(retry, what).toBeLessThanOrEqual(60);
  expect(res.headers.get("set-cookie"), what).toBeNull();
}

describe("login throttling", () => {
  it("answers an unknown user exactly like a wrong password", async () => {
    const unknown = await login(OFFICE, "nobody-at-all", PASSWORD);
    const wrong = await login(OFFICE, "olga", "not her password");
    expect(summary(unknown)).toEqual({
      status: 401,
      body: { error: { code: "UNAUTHORIZED", message: "wrong name or password" } },
    });
    expect(summary(wrong)).toEqual(summary(unknown));
    expect(wrong.headers.get("set-cookie")).toBeNull();
    // Two failures from OFFICE so far: under the allowance of 5; success forgets olga's failures.
    expect((await login(OFFICE, "olga", PASSWORD)).status).toBe(200);
  });

  it("after 5 failures locks the account from every address, and the address for every account", async () => {
    for (let i = 0; i < 5; i++) expect((await login(HOME, "vic", `wrong ${i}`)).status).toBe(401);

    // The account: refused even with the right password, from an address with a clean record.
    expectThrottled(await login(HOME, "vic", PASSWORD), "vic from home");
    expectThrottled(await login(OFFICE, "vic", PASSWORD), "vic from the office");
    // The address: refused for another account and for a name that does not exist, alike.
    expectThrottled(await login(HOME, "olga", PASSWORD), "olga from home");
    expectThrottled(await login(HOME, "nobody-at-all", PASSWORD), "nobody from home");
    // Neither locked: unaffected.
    expect((await login(OFFICE, "olga", PASSWORD)).status).toBe(200);
  });

  it("locks an address that sprays names, known or not", async () => {
    for (const name of ["a1", "b2", "c3", "d4", "e5"])
      expect((await login(SPRAYER, name, PASSWORD)).status).toBe(401);
    expectThrottled(await login(SPRAYER, "olga", PASSWORD), "olga from the sprayer");
    expect((await login(OFFICE, "olga", PASSWORD)).status).toBe(200);
  });
});
