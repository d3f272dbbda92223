import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuthStore } from "../../../server/auth/auth-store.ts";
import type { User } from "../../../server/auth/types.ts";
import { type AuthFixture, authFixture, failure, MINUTE, withUsers } from "./auth-fixture.ts";

let fx: AuthFixture;
let store: AuthStore;
let bob: User;
beforeEach(async () => {
  fx = await authFixture();
  store = fx.store();
  bob = (await withUsers(store, [{ name: "bob", role: "operator" }]))[1] as User;
});
afterEach(() => fx.cleanup());

async function refused(key: string) {
  return (await failure(() => store.authenticateApiKey(key))).code;
}

describe("API keys", () => {
  it("are shown once, at creation, and then only by name and hint", () => {
    const { key, info } = store.createApiKey(bob.id, "PrusaSlicer");
    expect(key).toMatch(/^lw_[A-Za-z0-9_-]{43}$/);
    expect(info).toEqual({
      id: info.id,
      userId: bob.id,
      name: "PrusaSlicer",
      hint: `${key.slice(0, 7)}…`,
      createdAt: fx.now,
      lastUsedAt: null,
    });
    expect(store.listApiKeys(bob.id)).toEqual([info]);
    expect(JSON.stringify(store.listApiKeys(bob.id))).not.toContain(key.slice(7));
  });

  it("are stored hashed: the plaintext is in no table and no file", () => {
    const { key } = store.createApiKey(bob.id, "Home Assistant");
    const rows = fx.query("SELECT * FROM api_keys");
    expect(rows).toHaveLength(1);
    expect(Object.values(rows[0] as object).some((v) => String(v).includes(key.slice(3)))).toBe(false);
    expect((rows[0] as { key_hash: Buffer }).key_hash).toHaveLength(32);
    const dir = join(fx.path, "..");
    for (const file of readdirSync(dir)) {
      expect(readFileSync(join(dir, file)).toString("latin1")).not.toContain(key.slice(3));
    }
  });

  it("authenticate as their owner, recording the last use at most once a minute", () => {
    const { key, info } = store.createApiKey(bob.id, "Cura");
    expect(store.authenticateApiKey(key)).toEqual({
      via: "apiKey",
      apiKeyId: info.id,
      userId: bob.id,
      name: "bob",
      role: "operator",
    });
    const first = fx.now;
    expect(store.getApiKey(info.id)?.lastUsedAt).toBe(first);
    fx.now += 30_000;
    store.authenticateApiKey(key);
    expect(store.getApiKey(info.id)?.lastUsedAt).toBe(first);
    fx.now += 30_000;
    store.authenticateApiKey(key);
    expect(store.getApiKey(info.id)?.lastUsedAt).toBe(first + MINUTE);
  });

  it("carry the owner's current role, never more", () => {
    const { key } = store.createApiKey(bob.id, "phone");
    store.setRole(bob.id, "viewer");
    expect(store.authenticateApiKey(key).role).toBe("viewer");
    store.setRole(bob.id, "admin");
    expect(store.authenticateApiKey(key).role).toBe("admin");
  });

  it("are refused when revoked, unknown, altered, or their owner is disabled or deleted", async () => {
    const { key, info } = store.createApiKey(bob.id, "old laptop");
    const other = store.createApiKey(bob.id, "new laptop");
    store.revokeApiKey(info.id);
    expect(await refused(key)).toBe("UNAUTHORIZED");
    expect(store.listApiKeys(bob.id).map((k) => k.name)).toEqual(["new laptop"]);
    expect((await failure(() => store.revokeApiKey(info.id))).code).toBe("NOT_FOUND");
    const last = other.key.at(-1) === "A" ? "B" : "A";
    expect(await refused(`${other.key.slice(0, -1)}${last}`)).toBe("UNAUTHORIZED");
    expect(await refused(other.key.slice(3))).toBe("UNAUTHORIZED");

    store.setDisabled(bob.id, true);
    expect(await refused(other.key)).toBe("UNAUTHORIZED");
    store.setDisabled(bob.id, false);
    expect(store.authenticateApiKey(other.key).name).toBe("bob");
    store.deleteUser(bob.id);
    expect(await refused(other.key)).toBe("UNAUTHORIZED");
  });

  it("need a name and an existing owner", async () => {
    expect((await failure(() => store.createApiKey(bob.id, "  "))).code).toBe("INVALID_INPUT");
    expect((await failure(() => store.createApiKey(9999, "ghost"))).code).toBe("NOT_FOUND");
  });
});
