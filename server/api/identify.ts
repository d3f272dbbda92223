import type { IncomingHttpHeaders } from "node:http";
import type { AuthStore } from "../auth/auth-store.ts";
import type { ApiKeyIdentity, SessionIdentity } from "../auth/types.ts";
import { HostError } from "../util/errors.ts";
import { parseCookies } from "./cookies.ts";

/** The session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS. */
export const SESSION_COOKIE = "layerwatch_session";

export type RequestIdentity = SessionIdentity | ApiKeyIdentity;

/** Where the credential came from; a key is never mixed with a cookie. */
export type Credential = { kind: "apiKey"; key: string } | { kind: "session"; token: string } | null;

/** `X-Api-Key`, then `Authorization: Bearer`, then the session cookie. */
export function credentialOf(headers: IncomingHttpHeaders): Credential {
  const header = headers["x-api-key"];
  const key = Array.isArray(header) ? header[0] : header;
  if (key !== undefined && key !== "") return { kind: "apiKey", key };
  const auth = headers.authorization;
  if (auth !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (match?.[1] !== undefined) return { kind: "apiKey", key: match[1] };
  }
  const token = parseCookies(headers.cookie).get(SESSION_COOKIE);
  if (token !== undefined && token !== "") return { kind: "session", token };
  return null;
}

/**
 * Who sent these headers: null without credentials; UNAUTHORIZED for credentials that are not
 * valid (unknown or revoked key, expired session, disabled user).
 */
export function identify(auth: AuthStore, headers: IncomingHttpHeaders): RequestIdentity | null {
  const credential = credentialOf(headers);
  if (credential === null) return null;
  if (credential.kind === "apiKey") return auth.authenticateApiKey(credential.key);
  return auth.authenticateSession(credential.token);
}

/**
 * A request that changes state on a cookie session comes from our own pages: its Origin (or
 * Referer) names the host it was sent to. Browsers send Origin with every cross-site and every
 * same-origin POST, so a missing one is refused too.
 */
export function checkOrigin(headers: IncomingHttpHeaders, trustedOrigins: readonly string[] = []): void {
  const origin = headers.origin ?? refererOrigin(headers.referer);
  if (origin === undefined || origin === "null")
    throw new HostError("FORBIDDEN", "cross-site request refused: no Origin header");
  if (trustedOrigins.includes(origin)) return;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    throw new HostError("FORBIDDEN", "cross-site request refused: a malformed Origin header");
  }
  if (host !== headers.host)
    throw new HostError("FORBIDDEN", `cross-site request refused: Origin ${origin} is not this server`);
}

function refererOrigin(referer: string | undefined): string | undefined {
  if (referer === undefined) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return undefined;
  }
}
