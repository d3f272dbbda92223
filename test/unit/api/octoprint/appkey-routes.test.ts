import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PendingAppKeysResponse } from "../../../../server/api/contract.ts";
import { ApiClient } from "../../../helpers/api-client.ts";
import { type OctoHarness, startOctoHarness } from "./octo-harness.ts";

let h: OctoHarness;
let anon: ApiClient;
let admin: string;
let operator: string;
let viewer: string;

beforeAll(async () => {
  h = await startOctoHarness();
  anon = new ApiClient(h.url);
  admin = await h.keyFor("ada", "admin");
  operator = await h.keyFor("otto", "operator");
  viewer = await h.keyFor("vera", "viewer");
});
afterAll(async () => {
  await h.stop();
});

/** Asks for a key as an app does (no credentials, no Origin); checks the 201 and its Location. */
async function ask(app: string, user?: string): Promise<{ token: string; location: string }> {
  const res = await anon.post<{ app_token: string; auth_dialog: string }>(
    "/plugin/appkeys/request",
    user === undefined ? { app } : { app, user },
    { origin: null },
  );
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const location = res.headers.get("location") ?? "";
  expect(location).toBe(`${h.url}/plugin/appkeys/request/${res.body.app_token}`);
  expect(res.body.auth_dialog).toMatch(new RegExp(`^${h.url}/#/appkeys/`));
  return { token: res.body.app_token, location };
}

const pending = async (key: string) =>
  (await anon.get<PendingAppKeysResponse>("/api/v1/appkeys/pending", { apiKey: key })).body.pending;

describe("application keys", () => {
  it("probes with 204 and needs no credentials for the request and the poll", async () => {
    expect((await anon.get("/plugin/appkeys/probe", { origin: null })).status).toBe(204);
    const { location } = await ask("OctoPod", "otto");
    const poll = await anon.get(location, { origin: null });
    expect(poll.status).toBe(202);
    expect(poll.body).toEqual({ message: "Awaiting decision" });
  });

  it("shows a request for a named user to them and to admins, not to others; the key is theirs", async () => {
    const mine = (await pending(operator)).find((p) => p.app === "OctoPod");
    expect(mine).toMatchObject({ app: "OctoPod", user: "otto" });
    expect((await pending(viewer)).some((p) => p.app === "OctoPod")).toBe(false);
    expect((await pending(admin)).some((p) => p.app === "OctoPod")).toBe(true);
    const id = mine?.id ?? "";
    expect(
      (await anon.post(`/api/v1/appkeys/pending/${id}/approve`, undefined, { apiKey: viewer })).status,
    ).toBe(403);
    expect(
      (await anon.post(`/api/v1/appkeys/pending/${id}/approve`, undefined, { apiKey: admin })).status,
    ).toBe(204);
    expect((await pending(admin)).some((p) => p.app === "OctoPod")).toBe(false);
  });

  it("hands the key out once, named after the app, working as the named user's key", async () => {
    const { token, location } = await ask("Home Assistant", "otto");
    const id = (await pending(admin)).find((p) => p.app === "Home Assistant")?.id;
    expect(
      (await anon.post(`/api/v1/appkeys/pending/${id}/approve`, undefined, { apiKey: admin })).status,
    ).toBe(204);
    const got = await anon.get<{ api_key: string }>(location, { origin: null });
    expect(got.status).toBe(200);
    expect(got.headers.get("cache-control")).toBe("no-store");
    const me = await anon.get<{ name: string }>("/api/currentuser", { apiKey: got.body.api_key });
    expect(me.body.name).toBe("otto");
    const otto = h.auth.findUser("otto");
    expect(h.auth.listApiKeys(otto?.id ?? -1).map((k) => k.name)).toContain("Home Assistant");
    expect((await anon.get(`/plugin/appkeys/request/${token}`, { origin: null })).status).toBe(404);
  });

  it("gives a denied request 404, and rate-limits requests per address", async () => {
    const { location } = await ask("Sneaky");
    const id = (await pending(viewer)).find((p) => p.app === "Sneaky")?.id; // no user named: anyone decides
    expect(
      (await anon.post(`/api/v1/appkeys/pending/${id}/deny`, undefined, { apiKey: viewer })).status,
    ).toBe(204);
    expect((await anon.get(location, { origin: null })).status).toBe(404);
    // Three requests per minute per address (OctoPrint's limit): this file has made three.
    const limited = await anon.post("/plugin/appkeys/request", { app: "Fourth" }, { origin: null });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("refuses a request without an app name", async () => {
    expect((await anon.post("/plugin/appkeys/request", {}, { origin: null })).status).toBe(400);
    expect(
      (await anon.post("/api/v1/appkeys/pending/nope/approve", undefined, { apiKey: admin })).status,
    ).toBe(404);
    expect((await anon.get("/api/v1/appkeys/pending")).status).toBe(401);
  });
});
