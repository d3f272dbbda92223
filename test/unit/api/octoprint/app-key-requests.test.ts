import { describe, expect, it } from "vitest";
import { AppKeyRequests } from "../../../../server/api/appkeys/app-key-requests.ts";
import { RequestLimiter } from "../../../../server/api/appkeys/request-limiter.ts";
import { isHostError } from "../../../../server/util/errors.ts";

function setup(rules = {}) {
  let now = 1_000_000;
  const requests = new AppKeyRequests(() => now, { limits: [{ count: 100, windowMs: 60_000 }], ...rules });
  return {
    requests,
    advance(ms: number) {
      now += ms;
    },
  };
}

describe("AppKeyRequests", () => {
  it("keeps a request pending while the app polls within 5 s, and drops it when it stops", () => {
    const { requests, advance } = setup();
    const { appToken } = requests.request("OctoPod", null, "10.0.0.2");
    for (let i = 0; i < 20; i++) {
      advance(4_000);
      expect(requests.poll(appToken)).toEqual({ status: "pending" });
    }
    advance(5_001);
    expect(requests.poll(appToken)).toBeNull();
    expect(requests.list()).toEqual([]);
  });

  it("gives a decision at most the decision window, however long the app polls", () => {
    const { requests, advance } = setup({ decisionWindowMs: 60_000 });
    const { appToken } = requests.request("OctoPod", null, "10.0.0.2");
    for (let t = 0; t < 60_000; t += 1_000) {
      advance(1_000);
      requests.poll(appToken);
    }
    advance(1_000);
    expect(requests.poll(appToken)).toBeNull();
  });

  it("hands out an approval once, to the app's token only; the id the user sees cannot collect it", () => {
    const { requests } = setup();
    const { appToken, id } = requests.request("Home Assistant", "otto", "10.0.0.2");
    expect(requests.list()).toEqual([
      { id, app: "Home Assistant", user: "otto", ip: "10.0.0.2", createdAt: 1_000_000 },
    ]);
    expect(JSON.stringify(requests.list())).not.toContain(appToken);
    requests.approve(id, 7);
    expect(requests.poll(id)).toBeNull();
    expect(requests.poll(appToken)).toEqual({ status: "approved", app: "Home Assistant", userId: 7 });
    expect(requests.poll(appToken)).toBeNull();
    expect(() => requests.approve(id, 7)).toThrow(/no pending/);
  });

  it("drops an approval the app does not collect in time, and answers a denial with null", () => {
    const { requests, advance } = setup({ collectWindowMs: 10_000 });
    const a = requests.request("A", null, "10.0.0.2");
    const b = requests.request("B", null, "10.0.0.2");
    requests.approve(a.id, 1);
    requests.deny(b.id);
    expect(requests.poll(b.appToken)).toBeNull();
    advance(10_001);
    expect(requests.poll(a.appToken)).toBeNull();
  });

  it("bounds the pending list", () => {
    const { requests } = setup({ maxPending: 2 });
    requests.request("A", null, "10.0.0.2");
    requests.request("B", null, "10.0.0.3");
    let error: unknown = null;
    try {
      requests.request("C", null, "10.0.0.4");
    } catch (err) {
      error = err;
    }
    expect(isHostError(error, "THROTTLED")).toBe(true);
  });
});

describe("RequestLimiter", () => {
  it("applies every window per address, with the time to wait", () => {
    const limiter = new RequestLimiter([
      { count: 3, windowMs: 60_000 },
      { count: 5, windowMs: 600_000 },
    ]);
    let now = 0;
    for (let i = 0; i < 3; i++) limiter.take("a", now, "requests");
    expect(() => limiter.take("a", now, "requests")).toThrow(/try again in 60 s/);
    limiter.take("b", now, "requests");
    now += 60_000;
    limiter.take("a", now, "requests");
    limiter.take("a", now, "requests");
    let error: unknown = null;
    try {
      limiter.take("a", now + 1000, "requests");
    } catch (err) {
      error = err;
    }
    expect(isHostError(error, "THROTTLED")).toBe(true);
    expect((error as { details: { retryAfterSeconds: number } }).details.retryAfterSeconds).toBe(539);
  });
});
