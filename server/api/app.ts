import { existsSync } from "node:fs";
import path from "node:path";
import express, { type Express, type RequestHandler } from "express";
import helmet from "helmet";
import { HostError } from "../util/errors.ts";
import type { ApiDeps } from "./api-deps.ts";
import { type Admitted, guard } from "./guard.ts";
import { errorHandler } from "./http-errors.ts";
import type { RouteRegistry, RouteSpec } from "./route-registry.ts";

/** Bodies other than uploads are small: a body over this is refused with 413. */
export const JSON_LIMIT = "100kb";

/**
 * Strict CSP: only our own scripts, styles and connections (the socket is same-origin); images and
 * video also from blob:/data: (thumbnails, snapshots). Plain HTTP on a LAN is normal for a printer, so
 * no upgrade-insecure-requests and no HSTS unless served over HTTPS.
 */
function securityHeaders(secure: boolean): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", "data:", "blob:"],
        mediaSrc: ["'self'", "blob:"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        manifestSrc: ["'self'"],
        workerSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: secure,
  });
}

function handler(spec: RouteSpec): RequestHandler {
  return async (req, res) => {
    const { identity } = res.locals as Admitted;
    await spec.handler({ req, res, identity, ip: req.ip ?? req.socket.remoteAddress ?? "unknown" });
  };
}

/** The express app: security headers, every registered route behind the guard, JSON errors. */
export function createApp(registry: RouteRegistry, deps: ApiDeps): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", deps.http.trustProxy);
  app.set("etag", false);
  app.use(securityHeaders(deps.http.secureCookies));
  const json = express.json({ limit: JSON_LIMIT, strict: false });
  const guards = { auth: deps.auth, trustedOrigins: deps.http.trustedOrigins };
  for (const spec of registry.routes) {
    const chain: RequestHandler[] = [guard(spec, guards)];
    if (spec.body !== "stream") chain.push(json);
    chain.push(handler(spec));
    app[spec.method](spec.path, ...chain);
  }
  app.use(["/api", "/plugin", "/downloads"], () => {
    throw new HostError("NOT_FOUND", "no such API route");
  });
  const staticDir = deps.http.staticDir;
  if (staticDir !== null && existsSync(staticDir)) {
    app.use(
      express.static(staticDir, {
        index: "index.html",
        setHeaders: (res, file) => {
          // Hashed build assets never change; the page, manifest and service worker are checked each load.
          res.setHeader(
            "Cache-Control",
            file.includes(`${path.sep}assets${path.sep}`)
              ? "public, max-age=31536000, immutable"
              : "no-cache",
          );
        },
      }),
    );
  }
  app.use(errorHandler(deps.log));
  return app;
}
