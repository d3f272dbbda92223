import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ApiKeysResponse, CreatedApiKeyResponse, UsersResponse } from "../../server/api/contract.ts";
import { ApiClient } from "../helpers/api-client.ts";
import { type AuthEdge, startAuthEdge } from "../helpers/auth-edge.ts";

let edge: AuthEdge;
beforeEach(async () => {
  edge = await startAuthEdge();
});
afterEach(async () => {
  await edge.stop();
});

async function createKey(client: ApiClient, name: string): Promise<CreatedApiKeyResponse> {
  const res = await client.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

describe("own API keys", () => {
  it("shows a new key once; the listing has its name and hint only; the key works as X-Api-Key and Bearer", async () => {
    const op = await edge.addUser("olga", "operator");
    const res = await op.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "  PrusaSlicer  " });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const { key, apiKey } = res.body;
    expect(key).toMatch(/^lw_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: "PrusaSlicer", hint: `${key.slice(0, 7)}…`, lastUsedAt: null });

    const listed = await op.get<ApiKeysResponse>("/api/v1/api-keys");
    expect(listed.body.apiKeys).toEqual([apiKey]);
    expect(JSON.stringify(listed.body)).not.toContain(key.slice(7));

    const anonymous = new ApiClient(edge.url);
    const viaHeader = await anonymous.get("/api/v1/auth/session", { apiKey: key });
    expect(viaHeader).toMatchObject({ status: 200, body: { user: { name: "olga" }, via: "apiKey" } });
    const viaBearer = await anonymous.get("/api/v1/auth/session", {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(viaBearer.status).toBe(200);
    expect((await op.get<ApiKeysResponse>("/api/v1/api-keys")).body.apiKeys[0]?.lastUsedAt).toBe(edge.now);
  });

  it("refuses empty and over-long names", async () => {
    for (const body of [{ name: "" }, { name: "   " }, { name: "x".repeat(65) }, {}, { name: 5 }]) {
      const r = await edge.admin.post("/api/v1/api-keys", body);
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
    }
    expect((await edge.admin.get<ApiKeysResponse>("/api/v1/api-keys")).body.apiKeys).toEqual([]);
  });

  it("revokes one's own key; someone else's is a 404 and keeps working", async () => {
    const vic = await edge.addUser("vic", "viewer");
    const mine = await createKey(vic, "phone");
    const adas = await createKey(edge.admin, "desk");

    const foreign = await vic.request("DELETE", `/api/v1/api-keys/${adas.apiKey.id}`);
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: "NOT_FOUND" } } });
    expect((await new ApiClient(edge.url).get("/api/v1/users", { apiKey: adas.key })).status).toBe(200);

    expect((await vic.request("DELETE", `/api/v1/api-keys/${mine.apiKey.id}`)).status).toBe(204);
    expect((await new ApiClient(edge.url).get("/api/v1/auth/session", { apiKey: mine.key })).status).toBe(
      401,
    );
    expect((await vic.request("DELETE", `/api/v1/api-keys/${mine.apiKey.id}`)).status).toBe(404);
    expect((await vic.request("DELETE", "/api/v1/api-keys/nope")).status).toBe(400);
    expect((await vic.get<ApiKeysResponse>("/api/v1/api-keys")).body.apiKeys).toEqual([]);
  });

  it("a key is never more powerful than its owner, now", async () => {
    const vic = await edge.addUser("vic", "viewer");
    const { key } = await createKey(vic, "k");
    expect((await new ApiClient(edge.url).get("/api/v1/users", { apiKey: key })).status).toBe(403);
    const vicId = (await edge.admin.get<UsersResponse>("/api/v1/users")).body.users.find(
      (u) => u.name === "vic",
    )?.id;
    await edge.admin.request("PATCH", `/api/v1/users/${vicId}`, { json: { role: "admin" } });
    expect((await new ApiClient(edge.url).get("/api/v1/users", { apiKey: key })).status).toBe(200);
    await edge.admin.request("PATCH", `/api/v1/users/${vicId}`, { json: { role: "viewer" } });
    expect((await new ApiClient(edge.url).get("/api/v1/users", { apiKey: key })).status).toBe(403);
  });
});

describe("other users' API keys (admin)", () => {
  it("lists and revokes any user's keys; a key of another user is a 404", async () => {
    const vic = await edge.addUser("vic", "viewer");
    const olga = await edge.addUser("olga", "operator");
    const vics = await createKey(vic, "phone");
    const olgas = await createKey(olga, "slicer");
    const vicId = vics.apiKey.userId;

    const listed = await edge.admin.get<ApiKeysResponse>(`/api/v1/users/${vicId}/api-keys`);
    expect(listed).toMatchObject({ status: 200, body: { apiKeys: [vics.apiKey] } });
    expect(JSON.stringify(listed.body)).not.toContain(vics.key);
    expect((await edge.admin.get("/api/v1/users/9999/api-keys")).status).toBe(404);

    const mismatched = await edge.admin.request(
      "DELETE",
      `/api/v1/users/${vicId}/api-keys/${olgas.apiKey.id}`,
    );
    expect(mismatched.status).toBe(404);
    expect((await new ApiClient(edge.url).get("/api/v1/auth/session", { apiKey: olgas.key })).status).toBe(
      200,
    );

    const revoked = await edge.admin.request("DELETE", `/api/v1/users/${vicId}/api-keys/${vics.apiKey.id}`);
    expect(revoked.status).toBe(204);
    expect((await new ApiClient(edge.url).get("/api/v1/auth/session", { apiKey: vics.key })).status).toBe(
      401,
    );
    expect((await vic.get<ApiKeysResponse>("/api/v1/api-keys")).body.apiKeys).toEqual([]);
  });
});
