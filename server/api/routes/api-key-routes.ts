import { z } from "zod";
import type { AuthStore } from "../../auth/auth-store.ts";
import type { ApiKeyInfo } from "../../auth/types.ts";
import { HostError } from "../../util/errors.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { ApiKeyDto, ApiKeysResponse, CreatedApiKeyResponse } from "../contract.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { parseInput } from "../validate.ts";
import { idParam } from "./id-param.ts";

/** The store trims and checks 1–64 characters; this only bounds the body. */
const CREATE = z.strictObject({ name: z.string().min(1).max(200) });

export function apiKeyDto(info: ApiKeyInfo): ApiKeyDto {
  return {
    id: info.id,
    userId: info.userId,
    name: info.name,
    hint: info.hint,
    createdAt: info.createdAt,
    lastUsedAt: info.lastUsedAt,
  };
}

/**
 * Revokes API key `keyId` of user `userId`. Someone else's key is NOT_FOUND (`missing`), like a
 * missing one: key ids are not an oracle.
 */
export function revokeKeyOf(
  auth: AuthStore,
  userId: number,
  keyId: number,
  missing: string,
  details: Record<string, unknown>,
): void {
  if (auth.getApiKey(keyId)?.userId !== userId) throw new HostError("NOT_FOUND", missing, details);
  auth.revokeApiKey(keyId);
}

/**
 * A signed-in user's own API keys. A key carries no role of its own: it acts with its owner's role at
 * the moment of use, so any user may make keys. Admins see and revoke other users' keys through
 * `/api/v1/users/:id/api-keys` (user-routes.ts).
 */
export function apiKeyRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { auth } = deps;

  routes.add({
    method: "get",
    path: "/api/v1/api-keys",
    access: "authenticated",
    summary: "Your API keys: name, hint and last use (never the keys themselves)",
    handler: (ctx) => {
      const body: ApiKeysResponse = { apiKeys: auth.listApiKeys(userOf(ctx).userId).map(apiKeyDto) };
      ctx.res.json(body);
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/api-keys",
    access: "authenticated",
    summary: "Create an API key; the 201 response is the only time the key is shown",
    handler: (ctx) => {
      const body = parseInput(CREATE, ctx.req.body);
      const created = auth.createApiKey(userOf(ctx).userId, body.name);
      const response: CreatedApiKeyResponse = { key: created.key, apiKey: apiKeyDto(created.info) };
      // The key must not linger in a browser or proxy cache.
      ctx.res.status(201).set("Cache-Control", "no-store").json(response);
    },
  });

  routes.add({
    method: "delete",
    path: "/api/v1/api-keys/:id",
    access: "authenticated",
    summary: "Revoke one of your API keys (404 for anyone else's)",
    handler: (ctx) => {
      const id = idParam(ctx.req);
      revokeKeyOf(auth, userOf(ctx).userId, id, `you have no API key ${id}`, { apiKeyId: id });
      ctx.res.status(204).end();
    },
  });
}
