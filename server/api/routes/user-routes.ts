import { z } from "zod";
import { ROLES } from "../../auth/roles.ts";
import type { User } from "../../auth/types.ts";
import { HostError, isHostError } from "../../util/errors.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { ApiKeysResponse, ChangePasswordResponse, UserDto, UsersResponse } from "../contract.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { parseInput } from "../validate.ts";
import { apiKeyDto, revokeKeyOf } from "./api-key-routes.ts";
import { idParam } from "./id-param.ts";
import { sessionResponse, setSessionCookie } from "./session-routes.ts";

// Lengths are checked again by the auth store (names 1–64, passwords 8–1024 characters); these
// bounds only keep absurd bodies out before any hashing.
const NAME = z.string().min(1).max(200);
const PASSWORD = z.string().min(1).max(4096);
const ROLE = z.enum(ROLES);

const CREATE = z.strictObject({ name: NAME, password: PASSWORD, role: ROLE });
const UPDATE = z
  .strictObject({ role: ROLE.optional(), disabled: z.boolean().optional() })
  .refine((u) => u.role !== undefined || u.disabled !== undefined, "give role, disabled or both");
const RESET = z.strictObject({ password: PASSWORD });
const CHANGE = z.strictObject({ currentPassword: PASSWORD, newPassword: PASSWORD });

export function userDto(user: User): UserDto {
  return {
    id: user.id,
    name: user.name,
    role: user.role,
    createdAt: user.createdAt,
    disabled: user.disabled,
  };
}

/**
 * Users (admins only: `users:admin`) and a user's own password. The auth store enforces the rules
 * (name and password rules, unique names, the last enabled admin stays) and ends sessions when
 * access is withdrawn; these routes map its errors: CONFLICT and INVALID_STATE are 409.
 */
export function userRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { auth } = deps;

  function requireUser(id: number): User {
    const user = auth.getUser(id);
    if (user === null) throw new HostError("NOT_FOUND", `no user ${id}`, { userId: id });
    return user;
  }

  routes.add({
    method: "get",
    path: "/api/v1/users",
    access: "users:admin",
    summary: "Every user with their role and whether they are disabled",
    handler: ({ res }) => {
      const body: UsersResponse = { users: auth.listUsers().map(userDto) };
      res.json(body);
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/users",
    access: "users:admin",
    summary: "Create a user with a name, password and role (409 if the name is taken)",
    handler: async ({ req, res }) => {
      const body = parseInput(CREATE, req.body);
      const user = await auth.createUser(body);
      res.status(201).location(`/api/v1/users/${user.id}`).json(userDto(user));
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/users/:id",
    access: "users:admin",
    summary: "One user",
    handler: ({ req, res }) => {
      res.json(userDto(requireUser(idParam(req))));
    },
  });

  routes.add({
    method: "patch",
    path: "/api/v1/users/:id",
    access: "users:admin",
    summary: "Change a user's role or disable/enable them (409 for the last admin); takes effect at once",
    handler: ({ req, res }) => {
      const id = idParam(req);
      const body = parseInput(UPDATE, req.body);
      requireUser(id);
      if (body.role !== undefined) auth.setRole(id, body.role);
      if (body.disabled !== undefined) auth.setDisabled(id, body.disabled);
      res.json(userDto(requireUser(id)));
    },
  });

  routes.add({
    method: "delete",
    path: "/api/v1/users/:id",
    access: "users:admin",
    summary: "Delete a user with their sessions and API keys (409 for the last admin)",
    handler: ({ req, res }) => {
      auth.deleteUser(idParam(req));
      res.status(204).end();
    },
  });

  routes.add({
    method: "put",
    path: "/api/v1/users/:id/password",
    access: "users:admin",
    summary: "Set a user's password; every session of that user ends (their API keys stay)",
    handler: async ({ req, res }) => {
      const id = idParam(req);
      const body = parseInput(RESET, req.body);
      requireUser(id);
      await auth.setPassword(id, body.password);
      res.status(204).end();
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/users/:id/api-keys",
    access: "users:admin",
    summary: "A user's API keys (never the keys themselves)",
    handler: ({ req, res }) => {
      const id = idParam(req);
      requireUser(id);
      const body: ApiKeysResponse = { apiKeys: auth.listApiKeys(id).map(apiKeyDto) };
      res.json(body);
    },
  });

  routes.add({
    method: "delete",
    path: "/api/v1/users/:id/api-keys/:keyId",
    access: "users:admin",
    summary: "Revoke one of a user's API keys",
    handler: ({ req, res }) => {
      const id = idParam(req);
      const keyId = idParam(req, "keyId");
      revokeKeyOf(auth, id, keyId, `user ${id} has no API key ${keyId}`, { userId: id, apiKeyId: keyId });
      res.status(204).end();
    },
  });

  routes.add({
    method: "put",
    path: "/api/v1/auth/password",
    access: "authenticated",
    summary: "Change your own password, giving the current one; your other sessions end, this one is renewed",
    handler: async (ctx) => {
      const { req, res, ip } = ctx;
      const me = userOf(ctx);
      const body = parseInput(CHANGE, req.body);
      try {
        await auth.reauthenticate(me.userId, body.currentPassword, ip);
      } catch (err) {
        // 401 would read as "your session ended"; the session is fine, the password is not.
        if (isHostError(err, "UNAUTHORIZED"))
          throw new HostError("FORBIDDEN", "the current password is wrong");
        throw err;
      }
      await auth.setPassword(me.userId, body.newPassword);
      const response: ChangePasswordResponse = { session: null };
      if (me.via === "session") {
        const login = await auth.login({
          name: me.name,
          password: body.newPassword,
          ip,
          remember: me.remember,
          userAgent: req.get("user-agent"),
        });
        setSessionCookie(res, deps, login);
        response.session = sessionResponse(login.session);
      }
      res.json(response);
    },
  });
}
