import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CreatedApiKeyResponse } from "../../../server/api/contract.ts";
import { ApiClient } from "../../helpers/api-client.ts";
import { addUser, PASSWORD, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";

let t: TestDaemon;
beforeAll(async () => {
  t = await startTestDaemon();
});
afterAll(async () => {
  await t?.stop();
});

async function status(client: ApiClient): Promise<number> {
  return (await client.get("/api/v1/auth/session")).status;
}

describe("logging out", () => {
  it("logout ends this session only, and needs the CSRF token", async () => {
    const phone = await addUser(t, "vic", "viewer");
    const laptop = new ApiClient(t.url);
    await laptop.login("vic", PASSWORD);

    const forged = await phone.post("/api/v1/auth/logout", undefined, { noCsrf: true });
    expect(forged.status).toBe(403);
    expect(await status(phone)).toBe(200);

    const cookie = phone.cookieHeader as string;
    const out = await phone.post("/api/v1/auth/logout");
    expect(out.status).toBe(204);
    expect(out.headers.get("set-cookie")).toMatch(/^layerwatch_session=; .*Max-Age=0/);
    // The old cookie is dead on the server, not just dropped by this client.
    const replayed = await new ApiClient(t.url).get("/api/v1/auth/session", { headers: { cookie } });
    expect(replayed.status).toBe(401);
    expect(await status(laptop)).toBe(200);
  });

  it("logout everywhere ends every session of the user (other users' stay); API keys are not sessions", async () => {
    const phone = await addUser(t, "olga", "operator");
    const laptop = new ApiClient(t.url);
    await laptop.login("olga", PASSWORD, true);
    const key = (await phone.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "slicer" })).body.key;
    const someoneElse = await addUser(t, "grace", "viewer");

    const res = await laptop.post<{ sessionsEnded: number }>("/api/v1/auth/logout-everywhere");
    expect(res).toMatchObject({ status: 200, body: { sessionsEnded: 2 } });
    expect(await status(phone)).toBe(401);
    expect(await status(laptop)).toBe(401);
    expect((await phone.post("/api/v1/api-keys", { name: "after" })).status).toBe(401);
    expect(await status(someoneElse)).toBe(200);
    expect((await new ApiClient(t.url).get("/api/v1/auth/session", { apiKey: key })).status).toBe(200);
    // Logging in again works.
    await phone.login("olga", PASSWORD);
    expect(await status(phone)).toBe(200);
  });
});
