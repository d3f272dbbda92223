import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type AuthFixture, authFixture, failure, MINUTE, PASSWORD, withUsers } from "./auth-fixture.ts";

let fx: AuthFixture;
beforeEach(async () => {
  fx = await authFixture();
});
afterEach(() => fx.cleanup());

function shape(err: { code: string; message: string; details: unknown }) {
  return { code: err.code, message: err.message, details: err.details };
}

describe("login", () => {
  it("starts a session for the right password, whatever the case of the name", async () => {
    const store = fx.store();
    const [ada] = await withUsers(store);
    const { token, session } = await store.login({ name: "ADA", password: PASSWORD, ip: "10.0.0.2" });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(session).toMatchObject({
      via: "session",
      userId: ada?.id,
      name: "ada",
      role: "admin",
      remember: false,
    });
    expect(store.authenticateSession(token).sessionId).toBe(session.sessionId);
  });

  it("gives the same answer for an unknown user, a wrong password and a disabled user", async () => {
    const store = fx.store();
    const [, bob] = await withUsers(store, [{ name: "bob", role: "operator" }]);
    store.setDisabled(bob?.id as number, true);
    const unknown = await failure(() => store.login({ name: "nobody", password: PASSWORD, ip: "10.0.0.2" }));
    const wrong = await failure(() =>
      store.login({ name: "ada", password: "not the password", ip: "10.0.0.3" }),
    );
    const disabled = await failure(() => store.login({ name: "bob", password: PASSWORD, ip: "10.0.0.4" }));
    expect(shape(unknown)).toEqual({ code: "UNAUTHORIZED", message: "wrong name or password", details: {} });
    expect(shape(wrong)).toEqual(shape(unknown));
    expect(shape(disabled)).toEqual(shape(unknown));
  });

  it("rejects a second user with the same name in another case or Unicode form", async () => {
    const store = fx.store();
    await withUsers(store, [{ name: "Zoë", role: "viewer" }]);
    const err = await failure(() =>
      store.createUser({ name: " ZOË ".normalize("NFD"), password: PASSWORD, role: "viewer" }),
    );
    expect(err.code).toBe("CONFLICT");
    expect(
      (await store.login({ name: "zoë".normalize("NFD"), password: PASSWORD, ip: "1.1.1.1" })).session.name,
    ).toBe("Zoë");
  });
});

describe("login throttling", () => {
  async function fail(store: ReturnType<AuthFixture["store"]>, name: string, ip: string) {
    return failure(() => store.login({ name, password: "wrong password", ip }));
  }

  it("locks an account after 5 failures in a minute, from any IPs, and doubles the lockout", async () => {
    const store = fx.store();
    await withUsers(store);
    for (let i = 0; i < 5; i++) expect((await fail(store, "ada", `10.0.0.${i}`)).code).toBe("UNAUTHORIZED");

    const locked = await failure(() => store.login({ name: "ada", password: PASSWORD, ip: "10.0.1.1" }));
    expect(locked.code).toBe("THROTTLED");
    expect(locked.details.retryAfterSeconds).toBe(60);
    // The unknown-user path is locked the same way, so the lockout reveals nothing.
    for (let i = 0; i < 5; i++) await fail(store, "nobody", `10.0.2.${i}`);
    expect((await fail(store, "nobody", "10.0.3.1")).code).toBe("THROTTLED");

    fx.now += 60 * 1000;
    for (let i = 0; i < 5; i++) expect((await fail(store, "ada", `10.0.4.${i}`)).code).toBe("UNAUTHORIZED");
    expect((await fail(store, "ada", "10.0.5.1")).details.retryAfterSeconds).toBe(120);
    fx.now += 119 * 1000;
    expect((await fail(store, "ada", "10.0.5.1")).details.retryAfterSeconds).toBe(1);
  });

  it("forgets the account's failures after a successful login", async () => {
    const store = fx.store();
    await withUsers(store);
    for (let i = 0; i < 4; i++) await fail(store, "ada", `10.0.0.${i}`);
    await store.login({ name: "ada", password: PASSWORD, ip: "10.0.1.1" });
    for (let i = 0; i < 4; i++) expect((await fail(store, "ada", `10.0.2.${i}`)).code).toBe("UNAUTHORIZED");
    await store.login({ name: "ada", password: PASSWORD, ip: "10.0.1.1" });
  });

  it("caps the lockout at an hour and starts over after an hour without failures", async () => {
    const store = fx.store();
    await withUsers(store);
    let lockout = 0;
    for (let round = 0; round < 8; round++) {
      for (let i = 0; i < 5; i++) await fail(store, "ada", `10.${round}.0.${i}`);
      lockout = (await fail(store, "ada", "10.9.9.9")).details.retryAfterSeconds as number;
      fx.now += lockout * 1000;
    }
    expect(lockout).toBe(3600);
    fx.now += 60 * MINUTE;
    for (let i = 0; i < 5; i++) await fail(store, "ada", `10.10.0.${i}`);
    expect((await fail(store, "ada", "10.9.9.9")).details.retryAfterSeconds).toBe(60);
  });

  it("locks an IP after 5 failures on any accounts, not other IPs", async () => {
    const store = fx.store();
    await withUsers(store, [{ name: "bob", role: "viewer" }]);
    for (let i = 0; i < 5; i++) await fail(store, `guess${i}`, "192.168.1.66");
    const locked = await failure(() => store.login({ name: "bob", password: PASSWORD, ip: "192.168.1.66" }));
    expect(locked.code).toBe("THROTTLED");
    await store.login({ name: "bob", password: PASSWORD, ip: "192.168.1.10" });
    fx.now += MINUTE;
    await store.login({ name: "bob", password: PASSWORD, ip: "192.168.1.66" });
  });

  it("counts attempts still hashing, so parallel guesses cannot pass the limit", async () => {
    const store = fx.store();
    await withUsers(store);
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, (_, i) =>
        store.login({ name: "ada", password: `wrong ${i}`, ip: `10.0.0.${i}` }),
      ),
    );
    const codes = results.map((r) => (r.status === "rejected" ? (r.reason as { code: string }).code : "ok"));
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(5);
    expect(codes.filter((c) => c === "THROTTLED")).toHaveLength(7);
  });
});

describe("reauthentication", () => {
  it("accepts the user's own password and refuses, throttled, a wrong one", async () => {
    const store = fx.store();
    const [ada] = await withUsers(store);
    const id = ada?.id as number;
    await store.reauthenticate(id, PASSWORD, "10.0.0.2");
    for (let i = 0; i < 5; i++)
      expect((await failure(() => store.reauthenticate(id, "wrong password", "10.0.0.2"))).code).toBe(
        "UNAUTHORIZED",
      );
    expect((await failure(() => store.reauthenticate(id, PASSWORD, "10.0.0.3"))).code).toBe("THROTTLED");
  });

  it("lets an admin's password reset lift the account's lockout", async () => {
    const store = fx.store();
    const [, bob] = await withUsers(store, [{ name: "bob", role: "viewer" }]);
    for (let i = 0; i < 5; i++)
      await failure(() => store.login({ name: "bob", password: "nope nope", ip: `10.1.0.${i}` }));
    await store.setPassword(bob?.id as number, "fresh password");
    await store.login({ name: "bob", password: "fresh password", ip: "10.2.0.1" });
  });
});
