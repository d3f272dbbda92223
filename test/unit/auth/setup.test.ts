import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AuthFixture, authFixture, failure, PASSWORD } from "./auth-fixture.ts";

let fx: AuthFixture;
beforeEach(async () => {
  fx = await authFixture();
});
afterEach(() => fx.cleanup());

describe("first boot", () => {
  it("needs setup until the first admin exists, and has no user or password before", async () => {
    const store = fx.store();
    expect(store.needsSetup()).toBe(true);
    expect(store.listUsers()).toEqual([]);
    const code = store.setupCode() as string;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);

    const admin = await store.createFirstAdmin(code, "Ada", PASSWORD);
    expect(admin).toMatchObject({ name: "Ada", role: "admin", disabled: false });
    expect(store.needsSetup()).toBe(false);
    expect(store.setupCode()).toBeNull();
    expect((await store.login({ name: "ada", password: PASSWORD, ip: "10.0.0.2" })).session.role).toBe(
      "admin",
    );
  });

  it("refuses without a code having been issued, and with a wrong code", async () => {
    const store = fx.store();
    const none = await failure(() => store.createFirstAdmin("AAAA-BBBB-CCCC-DDDD", "ada", PASSWORD));
    expect(none.code).toBe("UNAUTHORIZED");
    store.setupCode();
    const wrong = await failure(() => store.createFirstAdmin("AAAA-BBBB-CCCC-DDDD", "ada", PASSWORD));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", message: "wrong setup code" });
    expect(store.needsSetup()).toBe(true);
  });

  it("works only once", async () => {
    const store = fx.store();
    const code = store.setupCode() as string;
    await store.createFirstAdmin(code, "ada", PASSWORD);
    const again = await failure(() => store.createFirstAdmin(code, "eve", PASSWORD));
    expect(again.code).toBe("INVALID_STATE");
    expect(store.listUsers().map((u) => u.name)).toEqual(["ada"]);
  });

  it("lets only one of two simultaneous requests with the code through", async () => {
    const store = fx.store();
    const code = store.setupCode() as string;
    const results = await Promise.allSettled([
      store.createFirstAdmin(code, "ada", PASSWORD),
      store.createFirstAdmin(code, "eve", PASSWORD),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(store.listUsers()).toHaveLength(1);
  });

  it("accepts the code in lower case and without dashes; only the latest code works", async () => {
    const store = fx.store();
    const old = store.setupCode() as string;
    const code = store.setupCode() as string;
    expect((await failure(() => store.createFirstAdmin(old, "ada", PASSWORD))).code).toBe("UNAUTHORIZED");
    await store.createFirstAdmin(code.replaceAll("-", "").toLowerCase(), "ada", PASSWORD);
    expect(store.needsSetup()).toBe(false);
  });

  it("keeps the code usable after a refused password, and a code from before a restart is void", async () => {
    const store = fx.store();
    const code = store.setupCode() as string;
    const short = await failure(() => store.createFirstAdmin(code, "ada", "1234567"));
    expect(short).toMatchObject({ code: "INVALID_INPUT" });
    store.close();

    const restarted = fx.store();
    const fresh = restarted.setupCode() as string;
    expect((await failure(() => restarted.createFirstAdmin(code, "ada", PASSWORD))).code).toBe(
      "UNAUTHORIZED",
    );
    await restarted.createFirstAdmin(fresh, "ada", PASSWORD);
  });

  it("stores only a hash of the code", () => {
    const store = fx.store();
    const code = store.setupCode() as string;
    store.close();
    const bytes = readFileSync(fx.path).toString("latin1");
    expect(bytes).not.toContain(code);
    expect(bytes).not.toContain(code.replaceAll("-", ""));
  });
});
