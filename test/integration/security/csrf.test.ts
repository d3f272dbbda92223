import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeysResponse, CreatedApiKeyResponse } from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { addUser, PASSWORD, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";

// Cross-site request forgery: a browser attaches the session cookie to any request to this host, so a
// state-changing request on a cookie session must prove it comes from our own pages (Origin) and
// from a page that could read the session's CSRF token. API keys are never attached by a browser.

let t: TestDaemon;
let vic: ApiClient;
beforeAll(async () => {
  t = await startTestDaemon();
  vic = await addUser(t, "vic", "viewer");
});
afterAll(async () => {
  await t?.stop();
});

async function keyNames(): Promise<string[]> {
  return (await vic.get<ApiKeysResponse>("/api/v1/api-keys")).body.apiKeys.map((k) => k.name);
}

describe("CSRF on cookie sessions", () => {
  it("refuses a state-changing request without the token, with a wrong one, from a foreign Origin or with none", async () => {
    const attempts: [string, Parameters<ApiClient["post"]>[2]][] = [
      ["no token", { noCsrf: true }],
      ["a wrong token", { noCsrf: true, headers: { "x-csrf-token": "A".repeat(43) } }],
      ["a foreign Origin", { origin: "http://evil.example" }],
      ["a look-alike Origin", { origin: `${t.url}.evil.example` }],
      ["Origin null (sandboxed frame)", { origin: "null" }],
      ["no Origin", { origin: null }],
      ["no Origin and a foreign Referer", { origin: null, headers: { referer: "http://evil.example/page" } }],
    ];
    for (const [what, options] of attempts) {
      const res = await vic.post("/api/v1/api-keys", { name: what }, options);
      expect({ what, status: res.status, body: res.body }).toMatchObject({
        what,
        status: 403,
        body: { error: { code: "FORBIDDEN" } },
      });
    }
    expect(await keyNames()).toEqual([]);
  });

  it("applies to every state-changing method (DELETE here), not just POST", async () => {
    const created = await vic.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "phone" });
    const path = `/api/v1/api-keys/${created.body.apiKey.id}`;
    expect((await vic.request("DELETE", path, { noCsrf: true })).status).toBe(403);
    expect((await vic.request("DELETE", path, { origin: "http://evil.example" })).status).toBe(403);
    expect(await keyNames()).toEqual(["phone"]);
    expect((await vic.request("DELETE", path)).status).toBe(204);
  });

  it("accepts the token with our own Origin, or our own Referer when a browser leaves Origin out", async () => {
    expect((await vic.post("/api/v1/api-keys", { name: "with origin" })).status).toBe(201);
    const viaReferer = await vic.post(
      "/api/v1/api-keys",
      { name: "with referer" },
      {
        origin: null,
        headers: { referer: `${t.url}/settings` },
      },
    );
    expect(viaReferer.status).toBe(201);
    expect(await keyNames()).toEqual(["with origin", "with referer"]);
  });

  it("refuses a cross-site login (login CSRF) but not a safe read from anywhere", async () => {
    const login = await vic.post(
      "/api/v1/auth/login",
      { name: "vic", password: PASSWORD },
      {
        origin: "http://evil.example",
      },
    );
    expect(login.status).toBe(403);
    expect((await vic.get("/api/v1/auth/session", { origin: "http://evil.example" })).status).toBe(200);
  });
});

describe("API-key requests", () => {
  it("are exempt: no Origin, no token, even a foreign Origin", async () => {
    const created = await vic.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "slicer" });
    const key = created.body.key;
    const plain = await vic.post("/api/v1/api-keys", { name: "by key" }, { apiKey: key, origin: null });
    expect(plain.status).toBe(201);
    const foreign = await vic.post(
      "/api/v1/api-keys",
      { name: "by key, foreign" },
      {
        apiKey: key,
        origin: "http://elsewhere.example",
      },
    );
    expect(foreign.status).toBe(201);
  });
});
