import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { AuthStore } from "../../../server/auth/auth-store.ts";
import {
  type AuthFixture,
  authFixture,
  DAY,
  failure,
  HOUR,
  MINUTE,
  PASSWORD,
  withUsers,
} from "./auth-fixture.ts";

let fx: AuthFixture;
let store: AuthStore;
beforeEach(async () => {
  fx = await authFixture();
  store = fx.store();
  await withUsers(store, [{ name: "bob", role: "operator" }]);
});
afterEach(() => fx.cleanup());

function login(name = "ada", remember = false) {
  return store.login({ name, password: PASSWORD, ip: "10.0.0.2", remember });
}

async function refused(token: string) {
  return (await failure(() => store.authenticateSession(token))).code;
}

describe("sessions", () => {
  it("end after 2 hours idle, and use keeps them alive", async () => {
    const { token, session } = await login();
    expect(session.expiresAt).toBe(fx.now + 2 * HOUR);
    fx.now += 2 * HOUR - MINUTE;
    expect(store.authenticateSession(token).expiresAt).toBe(fx.now + 2 * HOUR);
    fx.now += 2 * HOUR - MINUTE;
    store.authenticateSession(token);
    fx.now += 2 * HOUR;
    expect(await refused(token)).toBe("UNAUTHORIZED");
  });

  it("end 24 hours after login however much they are used", async () => {
    const { token } = await login();
    const start = fx.now;
    while (fx.now < start + 24 * HOUR - HOUR) {
      fx.now += HOUR;
      store.authenticateSession(token);
    }
    fx.now = start + 24 * HOUR;
    expect(await refused(token)).toBe("UNAUTHORIZED");
  });

  it("with remember me, survive idle days and end after 30 days", async () => {
    const { token, session } = await login("ada", true);
    expect(session).toMatchObject({ remember: true, expiresAt: fx.now + 30 * DAY });
    fx.now += 29 * DAY;
    expect(store.authenticateSession(token).remember).toBe(true);
    fx.now += DAY;
    expect(await refused(token)).toBe("UNAUTHORIZED");
  });

  it("write last-seen at most once a minute", async () => {
    const { token, session } = await login();
    const lastSeen = () =>
      fx.query("SELECT last_seen_at AS t FROM sessions WHERE id = ?", session.sessionId)[0];
    const start = fx.now;
    fx.now += 30_000;
    store.authenticateSession(token);
    expect(lastSeen()?.t).toBe(start);
    fx.now += 30_000;
    expect(store.authenticateSession(token).lastSeenAt).toBe(start + MINUTE);
    expect(lastSeen()?.t).toBe(start + MINUTE);
  });

  it("end with logout, and all of a user's end with logout everywhere", async () => {
    const one = await login();
    const two = await login();
    const other = await login("bob");
    store.logout(one.token);
    expect(await refused(one.token)).toBe("UNAUTHORIZED");
    store.authenticateSession(two.token);

    const three = await login();
    expect(store.logoutEverywhere(one.session.userId)).toBe(2);
    expect(await refused(two.token)).toBe("UNAUTHORIZED");
    expect(await refused(three.token)).toBe("UNAUTHORIZED");
    expect(store.authenticateSession(other.token).name).toBe("bob");
  });

  it("end when the password changes, the user is disabled or deleted", async () => {
    const a = await login("bob");
    await store.setPassword(a.session.userId, "a brand new password");
    expect(await refused(a.token)).toBe("UNAUTHORIZED");
    expect((await failure(() => login("bob"))).code).toBe("UNAUTHORIZED");
    await store.login({ name: "bob", password: "a brand new password", ip: "10.0.0.2" });

    const b = await store.login({ name: "bob", password: "a brand new password", ip: "10.0.0.2" });
    store.setDisabled(b.session.userId, true);
    expect(await refused(b.token)).toBe("UNAUTHORIZED");
    store.setDisabled(b.session.userId, false);

    const c = await store.login({ name: "bob", password: "a brand new password", ip: "10.0.0.2" });
    store.deleteUser(c.session.userId);
    expect(await refused(c.token)).toBe("UNAUTHORIZED");
  });

  it("carry the user's current role", async () => {
    const { token, session } = await login("bob");
    store.setRole(session.userId, "viewer");
    expect(store.authenticateSession(token).role).toBe("viewer");
  });

  it("check the CSRF token in constant time against the session's own", async () => {
    const { session } = await login();
    const other = await login();
    expect(session.csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(store.checkCsrf(session, session.csrfToken)).toBe(true);
    expect(store.checkCsrf(session, other.session.csrfToken)).toBe(false);
    expect(store.checkCsrf(session, session.csrfToken.slice(1))).toBe(false);
    expect(store.checkCsrf(session, "")).toBe(false);
    expect(store.checkCsrf(session, undefined)).toBe(false);
  });

  it("store only a hash of the token, and are deleted once expired", async () => {
    const { token } = await login();
    fx.now += 3 * HOUR;
    expect(store.pruneSessions()).toBe(1);
    store.close();
    expect(readFileSync(fx.path).toString("latin1")).not.toContain(token);
  });
});
