import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthResponse, SessionResponse } from "../../../server/api/contract.ts";
import { ApiClient } from "../../helpers/api-client.ts";
import { startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";

const PASSWORD = "correct horse battery";

let t: TestDaemon;
beforeAll(async () => {
  t = await startTestDaemon({ setupAdmin: false });
});
afterAll(async () => {
  await t?.stop();
});

async function needsSetup(): Promise<boolean> {
  return (await new ApiClient(t.url).get<HealthResponse>("/api/v1/health")).body.needsSetup;
}

describe("first-boot setup", () => {
  it("refuses setup without the code, with a wrong code or from another site; the right code works exactly once", async () => {
    expect(await needsSetup()).toBe(true);
    // The code the daemon printed to its log at start.
    const code = t.setupCode;
    expect(code).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    const client = new ApiClient(t.url);

    const refused: [string, unknown, number, string, string | null | undefined][] = [
      ["no code", { name: "mallory", password: PASSWORD }, 400, "INVALID_INPUT", undefined],
      ["an empty code", { code: "", name: "mallory", password: PASSWORD }, 400, "INVALID_INPUT", undefined],
      [
        "a wrong code",
        { code: "AAAA-BBBB-CCCC-DDDD", name: "mallory", password: PASSWORD },
        401,
        "UNAUTHORIZED",
        undefined,
      ],
      [
        "the right code from another site",
        { code, name: "mallory", password: PASSWORD },
        403,
        "FORBIDDEN",
        "http://evil.example",
      ],
      [
        "the right code and a weak password",
        { code, name: "mallory", password: "short" },
        400,
        "INVALID_INPUT",
        undefined,
      ],
    ];
    for (const [what, body, status, errorCode, origin] of refused) {
      const res = await client.post("/api/v1/setup", body, origin === undefined ? {} : { origin });
      expect({ what, status: res.status, body: res.body }).toMatchObject({
        what,
        status,
        body: { error: { code: errorCode } },
      });
      expect(res.headers.get("set-cookie"), what).toBeNull();
    }
    expect(await needsSetup()).toBe(true);
    expect(t.parts.auth.listUsers()).toEqual([]);

    // A refused attempt does not use the code up.
    const done = await client.post<SessionResponse>("/api/v1/setup", {
      code,
      name: "Ada",
      password: PASSWORD,
    });
    expect(done.status).toBe(201);
    expect(done.body).toMatchObject({ user: { name: "Ada", role: "admin" }, via: "session" });
    client.csrfToken = done.body.csrfToken;
    expect((await client.get("/api/v1/users")).status).toBe(200);
    expect(await needsSetup()).toBe(false);

    const again = await new ApiClient(t.url).post("/api/v1/setup", { code, name: "eve", password: PASSWORD });
    expect(again).toMatchObject({ status: 409, body: { error: { code: "INVALID_STATE" } } });
    expect(t.parts.auth.setupCode()).toBeNull();
    expect(t.parts.auth.listUsers().map((u) => u.name)).toEqual(["Ada"]);
  });
});
