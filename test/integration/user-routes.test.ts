import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  ChangePasswordResponse,
  CreatedApiKeyResponse,
  UserDto,
  UsersResponse,
} from "../../server/api/contract.ts";
import { ApiClient } from "../helpers/api-client.ts";
import { type AuthEdge, EDGE_PASSWORD, startAuthEdge } from "../helpers/auth-edge.ts";

let edge: AuthEdge;
beforeEach(async () => {
  edge = await startAuthEdge();
});
afterEach(async () => {
  await edge.stop();
});

const NEW_PASSWORD = "a brand new secret";

async function create(name: string, role: string, password = EDGE_PASSWORD): Promise<UserDto> {
  const res = await edge.admin.post<UserDto>("/api/v1/users", { name, password, role });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

async function loggedIn(name: string, password = EDGE_PASSWORD): Promise<ApiClient> {
  const client = new ApiClient(edge.url);
  await client.login(name, password);
  return client;
}

async function loginStatus(name: string, password: string): Promise<number> {
  return (await new ApiClient(edge.url).post("/api/v1/auth/login", { name, password })).status;
}

describe("users (admin)", () => {
  it("lists and creates users; refuses taken names and invalid input with nothing created", async () => {
    const listed = await edge.admin.get<UsersResponse>("/api/v1/users");
    expect(listed.status).toBe(200);
    expect(listed.body.users).toEqual([
      { id: expect.any(Number), name: "ada", role: "admin", createdAt: expect.any(Number), disabled: false },
    ]);

    const res = await edge.admin.post<UserDto>("/api/v1/users", {
      name: "Bob",
      password: EDGE_PASSWORD,
      role: "operator",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/v1/users/${res.body.id}`);
    expect(res.body).toMatchObject({ name: "Bob", role: "operator", disabled: false });
    expect(JSON.stringify(res.body)).not.toContain(EDGE_PASSWORD);
    expect((await edge.admin.get<UserDto>(`/api/v1/users/${res.body.id}`)).body).toEqual(res.body);

    const refused: [unknown, number, string][] = [
      [{ name: "bob", password: EDGE_PASSWORD, role: "viewer" }, 409, "CONFLICT"],
      [{ name: "carl", password: "short", role: "viewer" }, 400, "INVALID_INPUT"],
      [{ name: "carl", password: EDGE_PASSWORD, role: "root" }, 400, "INVALID_INPUT"],
      [{ name: "   ", password: EDGE_PASSWORD, role: "viewer" }, 400, "INVALID_INPUT"],
      [{ name: "carl", password: EDGE_PASSWORD, role: "viewer", admin: true }, 400, "INVALID_INPUT"],
      [{ name: "carl", password: EDGE_PASSWORD }, 400, "INVALID_INPUT"],
      [[], 400, "INVALID_INPUT"],
    ];
    for (const [body, status, code] of refused) {
      const r = await edge.admin.post("/api/v1/users", body);
      expect({ body, status: r.status, r: r.body }).toMatchObject({ status, r: { error: { code } } });
    }
    expect((await edge.admin.get<UsersResponse>("/api/v1/users")).body.users.map((u) => u.name)).toEqual([
      "ada",
      "Bob",
    ]);
    expect(await loginStatus("bob", EDGE_PASSWORD)).toBe(200);
  });

  it("answers 404 for an unknown user and 400 for an id that is not one", async () => {
    for (const [path, status] of [
      ["/api/v1/users/9999", 404],
      ["/api/v1/users/abc", 400],
      ["/api/v1/users/0", 400],
      ["/api/v1/users/-1", 400],
      ["/api/v1/users/1e3", 400],
    ] as const) {
      expect((await edge.admin.get(path)).status, path).toBe(status);
    }
    expect(
      (await edge.admin.request("PATCH", "/api/v1/users/9999", { json: { role: "viewer" } })).status,
    ).toBe(404);
    expect((await edge.admin.request("DELETE", "/api/v1/users/9999")).status).toBe(404);
    const reset = await edge.admin.request("PUT", "/api/v1/users/9999/password", {
      json: { password: NEW_PASSWORD },
    });
    expect(reset.status).toBe(404);
  });

  it("changes a role with effect on the user's live session and keys", async () => {
    const bob = await create("bob", "admin");
    const bobClient = await loggedIn("bob");
    const key = (await bobClient.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "k" })).body.key;
    expect((await edge.admin.get("/api/v1/users", { apiKey: key })).status).toBe(200);

    const patched = await edge.admin.request<UserDto>("PATCH", `/api/v1/users/${bob.id}`, {
      json: { role: "viewer" },
    });
    expect(patched).toMatchObject({ status: 200, body: { id: bob.id, role: "viewer" } });
    expect((await bobClient.get("/api/v1/auth/session")).body).toMatchObject({ user: { role: "viewer" } });
    expect((await bobClient.get("/api/v1/users")).status).toBe(403);
    expect((await edge.admin.get("/api/v1/users", { apiKey: key })).status).toBe(403);

    for (const body of [{}, { role: "root" }, { disabled: "yes" }, { name: "robert" }]) {
      const r = await edge.admin.request("PATCH", `/api/v1/users/${bob.id}`, { json: body });
      expect({ body, status: r.status }).toEqual({ body, status: 400 });
    }
  });

  it("disabling ends the user's sessions and refuses their logins and keys until re-enabled", async () => {
    const bob = await create("bob", "operator");
    const bobClient = await loggedIn("bob");
    const key = (await bobClient.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "k" })).body.key;

    const off = await edge.admin.request("PATCH", `/api/v1/users/${bob.id}`, { json: { disabled: true } });
    expect(off).toMatchObject({ status: 200, body: { disabled: true } });
    expect((await bobClient.get("/api/v1/auth/session")).status).toBe(401);
    expect((await new ApiClient(edge.url).get("/api/v1/auth/session", { apiKey: key })).status).toBe(401);
    expect(await loginStatus("bob", EDGE_PASSWORD)).toBe(401);

    await edge.admin.request("PATCH", `/api/v1/users/${bob.id}`, { json: { disabled: false } });
    expect(await loginStatus("bob", EDGE_PASSWORD)).toBe(200);
    expect((await new ApiClient(edge.url).get("/api/v1/auth/session", { apiKey: key })).status).toBe(200);
  });

  it("refuses to demote, disable or delete the last admin (409), and allows it once there is another", async () => {
    const ada = (await edge.admin.get<UsersResponse>("/api/v1/users")).body.users[0] as UserDto;
    const attempts: [string, string, unknown][] = [
      ["PATCH", `/api/v1/users/${ada.id}`, { role: "operator" }],
      ["PATCH", `/api/v1/users/${ada.id}`, { disabled: true }],
      ["DELETE", `/api/v1/users/${ada.id}`, undefined],
    ];
    for (const [method, path, json] of attempts) {
      const r = await edge.admin.request(method, path, json === undefined ? {} : { json });
      expect(r).toMatchObject({ status: 409, body: { error: { code: "INVALID_STATE" } } });
    }
    expect((await edge.admin.get<UserDto>(`/api/v1/users/${ada.id}`)).body).toMatchObject({
      role: "admin",
      disabled: false,
    });

    await create("grace", "admin");
    const demoted = await edge.admin.request("PATCH", `/api/v1/users/${ada.id}`, {
      json: { role: "viewer" },
    });
    expect(demoted.status).toBe(200);
    // Ada's own session now has a viewer's rights.
    expect((await edge.admin.get("/api/v1/users")).status).toBe(403);
  });

  it("deletes a user with their sessions and keys", async () => {
    const bob = await create("bob", "operator");
    const bobClient = await loggedIn("bob");
    const key = (await bobClient.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "k" })).body.key;
    expect((await edge.admin.request("DELETE", `/api/v1/users/${bob.id}`)).status).toBe(204);
    expect((await bobClient.get("/api/v1/auth/session")).status).toBe(401);
    expect((await new ApiClient(edge.url).get("/api/v1/auth/session", { apiKey: key })).status).toBe(401);
    expect((await edge.admin.get(`/api/v1/users/${bob.id}`)).status).toBe(404);
    expect(await loginStatus("bob", EDGE_PASSWORD)).toBe(401);
  });

  it("resets a user's password: their sessions end, the old password stops working", async () => {
    const bob = await create("bob", "operator");
    const bobClient = await loggedIn("bob");
    const short = await edge.admin.request("PUT", `/api/v1/users/${bob.id}/password`, {
      json: { password: "short" },
    });
    expect(short.status).toBe(400);
    expect((await bobClient.get("/api/v1/auth/session")).status).toBe(200);

    const reset = await edge.admin.request("PUT", `/api/v1/users/${bob.id}/password`, {
      json: { password: NEW_PASSWORD },
    });
    expect(reset.status).toBe(204);
    expect((await bobClient.get("/api/v1/auth/session")).status).toBe(401);
    expect(await loginStatus("bob", EDGE_PASSWORD)).toBe(401);
    expect(await loginStatus("bob", NEW_PASSWORD)).toBe(200);
  });
});

describe("own password", () => {
  it("needs the current password; ends the user's other sessions and renews this one", async () => {
    const viewer = await edge.addUser("vic", "viewer");
    const otherDevice = await loggedIn("vic");

    const wrong = await viewer.request("PUT", "/api/v1/auth/password", {
      json: { currentPassword: "not my password", newPassword: NEW_PASSWORD },
    });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: "FORBIDDEN" } } });
    const weak = await viewer.request("PUT", "/api/v1/auth/password", {
      json: { currentPassword: EDGE_PASSWORD, newPassword: "short" },
    });
    expect(weak.status).toBe(400);
    expect((await otherDevice.get("/api/v1/auth/session")).status).toBe(200);

    const changed = await viewer.request<ChangePasswordResponse>("PUT", "/api/v1/auth/password", {
      json: { currentPassword: EDGE_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(changed.status).toBe(200);
    expect(changed.body.session).toMatchObject({ user: { name: "vic", role: "viewer" }, via: "session" });
    viewer.csrfToken = changed.body.session?.csrfToken ?? null;
    expect((await viewer.get("/api/v1/auth/session")).status).toBe(200);
    expect((await viewer.post("/api/v1/api-keys", { name: "after" })).status).toBe(201);
    expect((await otherDevice.get("/api/v1/auth/session")).status).toBe(401);
    expect(await loginStatus("vic", EDGE_PASSWORD)).toBe(401);
    expect(await loginStatus("vic", NEW_PASSWORD)).toBe(200);
  });

  it("works with an API key (which stays valid) and answers without a session", async () => {
    const vic = await edge.addUser("vic", "viewer");
    const key = (await vic.post<CreatedApiKeyResponse>("/api/v1/api-keys", { name: "k" })).body.key;
    const anonymous = new ApiClient(edge.url);
    const changed = await anonymous.request<ChangePasswordResponse>("PUT", "/api/v1/auth/password", {
      apiKey: key,
      json: { currentPassword: EDGE_PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(changed).toMatchObject({ status: 200, body: { session: null } });
    expect(changed.headers.get("set-cookie")).toBeNull();
    expect((await vic.get("/api/v1/auth/session")).status).toBe(401);
    expect((await anonymous.get("/api/v1/auth/session", { apiKey: key })).status).toBe(200);
  });
});
