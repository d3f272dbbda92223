import { z } from "zod";
import type { User } from "../../auth/types.ts";
import { HostError } from "../../util/errors.ts";
import { namespaced } from "../../util/log.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { PendingAppKeysResponse } from "../contract.ts";
import type { RequestIdentity } from "../identify.ts";
import { baseUrl } from "../octoprint/octoprint-context.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { jsonBody } from "../v1/request-input.ts";
import { AppKeyRequests, type PendingRequest } from "./app-key-requests.ts";

const REQUEST = z.object({
  app: z
    .string()
    .trim()
    .min(1)
    .max(64)
    .refine((s) => !/\p{Cc}/u.test(s), "control characters are not allowed"),
  user: z.string().trim().max(200).nullish(),
});

function sameName(a: string, b: string): boolean {
  return a.normalize("NFC").toLowerCase() === b.normalize("NFC").toLowerCase();
}

/** An admin decides every request; anyone else those naming them, or naming nobody. */
function mayDecide(identity: RequestIdentity, request: PendingRequest): boolean {
  return identity.role === "admin" || request.user === null || sameName(request.user, identity.name);
}

/**
 * The application-keys flow as OctoPrint's clients (Home Assistant, OctoPod, …) run it: probe (204),
 * request (201 + Location), poll (202 while waiting, 200 with the key, 404 when denied or expired);
 * and the own routes through which a user approves or denies in the dashboard. The key is an ordinary
 * API key (AuthStore), named after the app, created when the app collects it.
 */
export function appKeyRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { auth } = deps;
  const log = namespaced(deps.log, "appkeys");
  const requests = new AppKeyRequests(deps.clock ?? Date.now);

  routes.add({
    method: "get",
    path: "/plugin/appkeys/probe",
    access: "public",
    summary: "OctoPrint app keys: the flow is available (204)",
    handler: ({ res }) => {
      res.status(204).end();
    },
  });

  routes.add({
    method: "post",
    path: "/plugin/appkeys/request",
    access: "public",
    csrfExempt: true,
    summary: 'OctoPrint app keys: ask for a key, `{"app","user"?}`; 201 with the polling URL in Location',
    handler: ({ req, res, ip }) => {
      if (auth.needsSetup())
        throw new HostError("INVALID_STATE", "no user exists yet: finish the setup first");
      const body = jsonBody(req, REQUEST);
      const user = body.user === undefined || body.user === null || body.user === "" ? null : body.user;
      const { appToken, id } = requests.request(body.app, user, ip);
      log.info({ app: body.app, user, ip }, "application key requested");
      const origin = baseUrl(req);
      res
        .status(201)
        .location(`${origin}/plugin/appkeys/request/${appToken}`)
        .json({ app_token: appToken, auth_dialog: `${origin}/#/appkeys/${id}` });
    },
  });

  routes.add({
    method: "get",
    path: "/plugin/appkeys/request/:token",
    access: "public",
    summary: "OctoPrint app keys: poll; 202 awaiting, 200 with the key (once), 404 denied or expired",
    handler: ({ req, res }) => {
      const { token } = req.params as { token: string };
      const result = requests.poll(token);
      res.set("Cache-Control", "no-store");
      if (result === null) throw new HostError("NOT_FOUND", "no such request: it was denied or has expired");
      if (result.status === "pending") {
        res.status(202).json({ message: "Awaiting decision" });
        return;
      }
      const created = auth.createApiKey(result.userId, result.app);
      log.info(
        { app: result.app, userId: result.userId, apiKeyId: created.info.id },
        "application key handed out",
      );
      res.json({ api_key: created.key });
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/appkeys/pending",
    access: "authenticated",
    summary: "Application key requests the signed-in user may decide (an admin: all)",
    handler: (ctx) => {
      const identity = userOf(ctx);
      const body: PendingAppKeysResponse = { pending: requests.list().filter((r) => mayDecide(identity, r)) };
      ctx.res.json(body);
    },
  });

  /** The user the key is for: the named one, else the approver. NOT_FOUND for a name without a user. */
  const owner = (identity: RequestIdentity, request: PendingRequest): User | RequestIdentity => {
    if (request.user === null || sameName(request.user, identity.name)) return identity;
    const named = auth.findUser(request.user);
    if (named === null) throw new HostError("NOT_FOUND", `no user named ${JSON.stringify(request.user)}`);
    return named;
  };

  for (const decision of ["approve", "deny"] as const) {
    routes.add({
      method: "post",
      path: `/api/v1/appkeys/pending/:id/${decision}`,
      access: "authenticated",
      summary:
        decision === "approve"
          ? "Approve an application key request: the app's next poll gets a key named after it"
          : "Deny an application key request: the app's next poll gets 404",
      handler: (ctx) => {
        const identity = userOf(ctx);
        const { id } = ctx.req.params as { id: string };
        const request = requests.get(id);
        if (!mayDecide(identity, request))
          throw new HostError(
            "FORBIDDEN",
            `this request asks for a key of ${request.user}; only they or an admin decide`,
          );
        if (decision === "approve") {
          const user = owner(identity, request);
          const userId = "userId" in user ? user.userId : user.id;
          requests.approve(id, userId);
          log.info({ app: request.app, userId, by: identity.name }, "application key approved");
        } else {
          requests.deny(id);
          log.info({ app: request.app, by: identity.name }, "application key denied");
        }
        ctx.res.status(204).end();
      },
    });
  }
}
