import { describe, expect, it } from "vitest";
import { DEFAULT_THROTTLE, LoginThrottle } from "../../../server/auth/login-throttle.ts";
import { failure, T0 } from "./auth-fixture.ts";

describe("login throttle", () => {
  it("forgets the oldest keys beyond its limit, so a spray of addresses cannot grow memory", async () => {
    const throttle = new LoginThrottle({ ...DEFAULT_THROTTLE, maxFailures: 1, maxKeys: 3 });
    for (const ip of ["a", "b", "c", "d"]) {
      throttle.begin([ip], T0);
      throttle.end([ip], false, T0);
    }
    // "a" was evicted to make room for "d"; the others are still locked out.
    throttle.begin(["a"], T0);
    expect((await failure(() => throttle.begin(["d"], T0))).details.retryAfterSeconds).toBe(60);
    expect((await failure(() => throttle.begin(["c"], T0))).code).toBe("THROTTLED");
  });
});
