import { writeFileSync } from "node:fs";
import Sqlite from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AUTH_MIGRATIONS } from "../../../server/auth/migrations.ts";
import type { User } from "../../../server/auth/types.ts";
import { type AuthFixture, authFixture, failure, PASSWORD, withUsers } from "./auth-fixture.ts";

let fx: AuthFixture;
beforeEach(async () => {
  fx = await authFixture();
});
afterEach(() => fx.cleanup());

describe("the auth database", () => {
  it("is created with its folder, in WAL mode, at the latest schema version", () => {
    fx.store().close();
    const db = new Sqlite(fx.path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(db.pragma("user_version", { simple: true })).toBe(AUTH_MIGRATIONS.length);
    db.close();
  });

  it("keeps users across restarts", async () => {
    const store = fx.store();
    await withUsers(store, [{ name: "bob", role: "viewer" }]);
    store.close();
    expect(
      fx
        .store()
        .listUsers()
        .map((u) => [u.name, u.role]),
    ).toEqual([
      ["ada", "admin"],
      ["bob", "viewer"],
    ]);
  });

  it("names the auth database and its path when the file is not a database", async () => {
    fx.store().close();
    writeFileSync(fx.path, Buffer.alloc(8192, 7));
    const err = await failure(() => fx.store());
    expect(err.code).toBe("DATABASE");
    expect(err.message).toContain(`cannot open the auth database ${fx.path}`);
  });

  it("is unusable until opened and after closing", async () => {
    const store = fx.store({}, false);
    expect((await failure(() => store.needsSetup())).code).toBe("INVALID_STATE");
    store.open();
    expect((await failure(() => store.open())).code).toBe("INVALID_STATE");
    store.close();
    store.close();
    expect((await failure(() => store.login({ name: "ada", password: PASSWORD, ip: "::1" }))).code).toBe(
      "INVALID_STATE",
    );
  });
});

describe("user management", () => {
  it("keeps at least one enabled admin", async () => {
    const store = fx.store();
    const [ada, bea] = (await withUsers(store, [{ name: "bea", role: "admin" }])) as [User, User];
    store.setRole(bea.id, "operator");
    const changes: [string, () => void][] = [
      ["demote", () => store.setRole(ada.id, "viewer")],
      ["disable", () => store.setDisabled(ada.id, true)],
      ["delete", () => store.deleteUser(ada.id)],
    ];
    for (const [verb, change] of changes) {
      expect(await failure(change)).toMatchObject({
        code: "INVALID_STATE",
        message: `cannot ${verb} ada: they are the only admin`,
      });
    }
    store.setRole(bea.id, "admin");
    store.setDisabled(ada.id, true);
    expect(store.getUser(ada.id)?.disabled).toBe(true);
  });

  it("checks names and refuses unknown users", async () => {
    const store = fx.store();
    await withUsers(store);
    for (const name of ["", "   ", "a".repeat(65), "tab\there"]) {
      expect((await failure(() => store.createUser({ name, password: PASSWORD, role: "viewer" }))).code).toBe(
        "INVALID_INPUT",
      );
    }
    expect(
      (await failure(() => store.createUser({ name: "cy", password: "short", role: "viewer" }))).code,
    ).toBe("INVALID_INPUT");
    expect((await failure(() => store.setRole(404, "viewer"))).code).toBe("NOT_FOUND");
    expect((await failure(() => store.setPassword(404, PASSWORD))).code).toBe("NOT_FOUND");
    expect((await failure(() => store.deleteUser(404))).code).toBe("NOT_FOUND");
    expect(store.findUser("ADA")?.name).toBe("ada");
    expect(store.findUser("nobody")).toBeNull();
  });

  it("rehashes a password made with older scrypt parameters at the next login", async () => {
    const old = fx.store({ scrypt: { N: 2048, r: 8, p: 1 } });
    await withUsers(old);
    old.close();
    const store = fx.store();
    await store.login({ name: "ada", password: PASSWORD, ip: "::1" });
    const [row] = fx.query("SELECT password_hash AS h FROM users");
    expect(String(row?.h)).toMatch(/^scrypt\$1024\$8\$1\$/);
    await store.login({ name: "ada", password: PASSWORD, ip: "::1" });
  });
});
