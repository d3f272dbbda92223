import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Sqlite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiKeysResponse, CreatedApiKeyResponse, UsersResponse } from "../../../server/api/contract.ts";
import { ApiClient, type ApiResponse } from "../../helpers/api-client.ts";
import { addUser, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";

let t: TestDaemon;
beforeAll(async () => {
  t = await startTestDaemon();
});
afterAll(async () => {
  await t?.stop();
});

function authDb(): string {
  return join(t.dataDir, "auth.db");
}

/** Every byte of the auth database as it is on disk now, including the write-ahead log. */
function authDbBytes(): Buffer {
  const files = [authDb(), `${authDb()}-wal`, `${authDb()}-journal`].filter((f) => existsSync(f));
  return Buffer.concat(files.map((f) => readFileSync(f)));
}

/** A GET with only the API key: no cookie, no Origin. */
function getWithKey(key: string, path: string): Promise<ApiResponse> {
  return new ApiClient(t.url).get(path, { apiKey: key });
}

describe("API keys", () => {
  it("are shown once, in the 201 response; no listing ever returns them", async () => {
    const olga = await addUser(t, "olga", "operator");
    const created = await olga.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "PrusaSlicer" });
    expect(created.status).toBe(201);
    const { key } = created.body;
    expect(key).toMatch(/^lw_[A-Za-z0-9_-]{43}$/);
    const secret = key.slice(7);

    const own = await olga.get<ApiKeysResponse>("/api/v1/api-keys");
    const adminView = await t.admin.get<ApiKeysResponse>(
      `/api/v1/users/${created.body.apiKey.userId}/api-keys`,
    );
    const users = await t.admin.get<UsersResponse>("/api/v1/users");
    for (const res of [own, adminView, users]) {
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).not.toContain(secret);
    }
    expect(own.body.apiKeys).toEqual([created.body.apiKey]);
    expect((await getWithKey(key, "/api/v1/auth/session")).body).toMatchObject({ user: { name: "olga" } });
  });

  it("are stored hashed: the plaintext is nowhere in the database file, its SHA-256 is", async () => {
    const vic = await addUser(t, "vic", "viewer");
    const { key, apiKey } = (await vic.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "phone" }))
      .body;
    const bytes = authDbBytes();
    const hash = createHash("sha256").update(key).digest();
    expect(bytes.includes(Buffer.from(key.slice(7)))).toBe(false);
    expect(bytes.includes(Buffer.from(key.slice(7), "utf16le"))).toBe(false);
    expect(bytes.includes(hash)).toBe(true);

    const db = new Sqlite(authDb(), { readonly: true });
    try {
      const row = db.prepare("SELECT * FROM api_keys WHERE id = ?").get(apiKey.id) as Record<string, unknown>;
      expect(row.key_hash).toEqual(hash);
      expect(Object.values(row).some((v) => typeof v === "string" && v.includes(key.slice(7)))).toBe(false);
    } finally {
      db.close();
    }
  });

  it("are refused once revoked, by their owner or by an admin", async () => {
    const grace = await addUser(t, "grace", "operator");
    const one = (await grace.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "one" })).body;
    const two = (await grace.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "two" })).body;
    expect((await getWithKey(one.key, "/api/v1/auth/session")).status).toBe(200);

    expect((await grace.request("DELETE", `/api/v1/api-keys/${one.apiKey.id}`)).status).toBe(204);
    const refused = await getWithKey(one.key, "/api/v1/auth/session");
    expect(refused).toMatchObject({ status: 401, body: { error: { code: "UNAUTHORIZED" } } });
    const bearer = await new ApiClient(t.url).get("/api/v1/auth/session", {
      headers: { authorization: `Bearer ${one.key}` },
    });
    expect(bearer.status).toBe(401);

    const path = `/api/v1/users/${two.apiKey.userId}/api-keys/${two.apiKey.id}`;
    expect((await t.admin.request("DELETE", path)).status).toBe(204);
    expect((await getWithKey(two.key, "/api/v1/auth/session")).status).toBe(401);
  });

  it("are never more powerful than their owner, as of now", async () => {
    const ops = await addUser(t, "ops", "operator");
    const { key, apiKey } = (await ops.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "k" })).body;
    expect((await getWithKey(key, "/api/v1/users")).status).toBe(403);
    await t.admin.request("PATCH", `/api/v1/users/${apiKey.userId}`, { json: { role: "admin" } });
    expect((await getWithKey(key, "/api/v1/users")).status).toBe(200);
    await t.admin.request("PATCH", `/api/v1/users/${apiKey.userId}`, { json: { disabled: true } });
    expect((await getWithKey(key, "/api/v1/auth/session")).status).toBe(401);
  });
});
