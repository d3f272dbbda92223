import { afterEach, describe, expect, it } from "vitest";
import { ADMIN, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";

// The session cookie is Secure when the daemon is served over HTTPS: configured (http.secureCookies),
// or seen per request through a proxy it trusts (X-Forwarded-Proto). An untrusted client cannot
// make that claim.
let t: TestDaemon | null = null;
afterEach(async () => {
  await t?.stop();
  t = null;
});

async function loginCookie(daemon: TestDaemon): Promise<string> {
  const res = await daemon.client().post("/api/v1/auth/login", ADMIN, {
    headers: { "x-forwarded-proto": "https" },
  });
  expect(res.status).toBe(200);
  return res.headers.get("set-cookie") ?? "";
}

describe("Secure session cookies", () => {
  it("are Secure behind a trusted TLS proxy", async () => {
    t = await startTestDaemon({ config: { http: { trustProxy: "loopback" } } });
    expect(await loginCookie(t)).toMatch(/; Secure(;|$)/);
  });

  it("are not Secure when an untrusted client claims HTTPS", async () => {
    t = await startTestDaemon();
    expect(await loginCookie(t)).not.toContain("Secure");
  });

  it("are Secure when configured so", async () => {
    t = await startTestDaemon({ config: { http: { secureCookies: true } } });
    expect(await loginCookie(t)).toMatch(/; Secure(;|$)/);
  });
});
