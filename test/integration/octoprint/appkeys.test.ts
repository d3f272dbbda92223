import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PendingAppKeyDto, PendingAppKeysResponse } from "../../../server/api/contract.ts";
import type { ApiClient } from "../../helpers/api-client.ts";
import { addUser, startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { AIOHTTP, ReplayClient } from "./replay-client.ts";

/**
 * The application-keys flow end to end on the real daemon: an app asks, polls once a second, a user
 * decides through the own API from a dashboard session (cookie, CSRF token, Origin), the app gets an
 * ordinary API key named after it, once. Denied and abandoned requests end in 404.
 */

let t: TestDaemon;
let operator: ApiClient;
let viewer: ApiClient;
let app: ReplayClient;

beforeAll(async () => {
  t = await startTestDaemon();
  operator = await addUser(t, "otto", "operator");
  viewer = await addUser(t, "vera", "viewer");
  app = new ReplayClient(t.url, AIOHTTP);
});

afterAll(async () => {
  await t?.stop();
});

async function ask(body: { app: string; user?: string }): Promise<string> {
  const res = await app.postJson<{ app_token: string; auth_dialog: string }>("/plugin/appkeys/request", body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  expect(res.body.auth_dialog.startsWith(t.url)).toBe(true);
  return String(res.headers.location).replace(t.url, "");
}

async function pendingOf(client: ApiClient, name: string): Promise<PendingAppKeyDto | undefined> {
  const res = await client.get<PendingAppKeysResponse>("/api/v1/appkeys/pending");
  expect(res.status).toBe(200);
  return res.body.pending.find((p) => p.app === name);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("application keys", () => {
  it("an admin approves a request for a named user; the app gets that user's key, once", async () => {
    const poll = await ask({ app: "OctoPod", user: "otto" });
    expect((await app.get(poll)).status).toBe(202);
    expect(await pendingOf(viewer, "OctoPod")).toBeUndefined(); // not vera's to decide
    const request = await pendingOf(t.admin, "OctoPod");
    expect(request).toMatchObject({ app: "OctoPod", user: "otto" });
    // A dashboard session needs its CSRF token for the decision, like every state change.
    const noCsrf = await t.admin.post(`/api/v1/appkeys/pending/${request?.id}/approve`, undefined, {
      noCsrf: true,
    });
    expect(noCsrf.status).toBe(403);
    expect((await t.admin.post(`/api/v1/appkeys/pending/${request?.id}/approve`)).status).toBe(204);

    const got = await app.get<{ api_key: string }>(poll);
    expect(got.status).toBe(200);
    const keyed = new ReplayClient(t.url, AIOHTTP, got.body.api_key);
    const me = await keyed.get<{ name: string; groups: string[] }>("/api/currentuser");
    expect(me.body).toMatchObject({ name: "otto", groups: ["users"] });
    expect((await app.get(poll)).status).toBe(404);
    const keys = await operator.get<unknown>("/api/v1/api-keys");
    expect(JSON.stringify(keys.body)).toContain("OctoPod");
  });

  it("a user approves a request naming nobody: the key is theirs", async () => {
    const poll = await ask({ app: "Printoid" });
    const request = await pendingOf(operator, "Printoid");
    expect(request?.user).toBeNull();
    expect((await operator.post(`/api/v1/appkeys/pending/${request?.id}/approve`)).status).toBe(204);
    const got = await app.get<{ api_key: string }>(poll);
    const me = await new ReplayClient(t.url, AIOHTTP, got.body.api_key).get<{ name: string }>(
      "/api/currentuser",
    );
    expect(me.body.name).toBe("otto");
  });

  it("a denied request and one the app stopped polling both end in 404", async () => {
    // This address has made two requests this minute; OctoPrint allows three.
    const denied = await ask({ app: "Denied", user: "vera" });
    const request = await pendingOf(viewer, "Denied");
    expect((await operator.post(`/api/v1/appkeys/pending/${request?.id}/deny`)).status).toBe(403);
    expect((await viewer.post(`/api/v1/appkeys/pending/${request?.id}/deny`)).status).toBe(204);
    expect((await app.get(denied)).status).toBe(404);

    const limited = await app.postJson("/plugin/appkeys/request", { app: "Abandoned" });
    expect(limited.status).toBe(429);
  });
});

describe("abandoned requests", () => {
  it("are dropped 5 s after the last poll", async () => {
    const other = await startTestDaemon();
    try {
      const client = new ReplayClient(other.url, AIOHTTP);
      const res = await client.postJson<{ app_token: string }>("/plugin/appkeys/request", { app: "Gone" });
      expect(res.status).toBe(201);
      const poll = `/plugin/appkeys/request/${res.body.app_token}`;
      await sleep(3000);
      expect((await client.get(poll)).status).toBe(202);
      await sleep(5500);
      expect((await client.get(poll)).status).toBe(404);
      const pending = await other.admin.get<PendingAppKeysResponse>("/api/v1/appkeys/pending");
      expect(pending.body.pending).toEqual([]);
    } finally {
      await other.stop();
    }
  });
});
