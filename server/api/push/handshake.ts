import type { IncomingHttpHeaders } from "node:http";
import type { AuthStore } from "../../auth/auth-store.ts";
import { can } from "../../auth/roles.ts";
import { HostError } from "../../util/errors.ts";
import { type Credential, checkOrigin, credentialOf, type RequestIdentity } from "../identify.ts";

export type SocketCredential = NonNullable<Credential>;

/** What a socket.io handshake carries (`socket.handshake`). */
export interface Handshake {
  headers: IncomingHttpHeaders;
  /** The client's `auth` option: `{ apiKey }` for API-key clients. */
  auth: Record<string, unknown>;
}

export interface Admission {
  identity: RequestIdentity;
  credential: SocketCredential;
}

/** `auth: { apiKey }` first (browsers cannot set headers on a WebSocket), then the HTTP credentials. */
export function handshakeCredential(handshake: Handshake): Credential {
  const key = handshake.auth.apiKey;
  if (typeof key === "string" && key !== "") return { kind: "apiKey", key };
  return credentialOf(handshake.headers);
}

/** The identity behind a credential as it stands now; throws UNAUTHORIZED when it no longer holds. */
export function authenticate(auth: AuthStore, credential: SocketCredential): RequestIdentity {
  return credential.kind === "apiKey"
    ? auth.authenticateApiKey(credential.key)
    : auth.authenticateSession(credential.token);
}

/**
 * The edge for sockets, run once per connection before anything is sent:
 * - no credentials: UNAUTHORIZED;
 * - a session cookie: the handshake's Origin must be this server (or a trusted origin), else
 *   FORBIDDEN. A browser sends cookies with a WebSocket handshake from any site, so without this
 *   check any page the maker visits could read the printer (cross-site WebSocket hijacking). An API
 *   key is not ambient and needs no Origin;
 * - invalid or expired credentials: UNAUTHORIZED; a role without `state:read`: FORBIDDEN.
 */
export function admit(auth: AuthStore, trustedOrigins: readonly string[], handshake: Handshake): Admission {
  const credential = handshakeCredential(handshake);
  if (credential === null)
    throw new HostError("UNAUTHORIZED", "log in, or send an API key (auth: { apiKey } or X-Api-Key)");
  if (credential.kind === "session") checkOrigin(handshake.headers, trustedOrigins);
  const identity = authenticate(auth, credential);
  if (!can(identity.role, "state:read"))
    throw new HostError("FORBIDDEN", `a ${identity.role} may not read the printer state`);
  return { identity, credential };
}
