import type { ErrorRequestHandler, Response } from "express";
import { HostError, type HostErrorCode, isHostError } from "../util/errors.ts";
import type { Logger } from "../util/log.ts";
import type { ApiErrorBody } from "./contract.ts";

/** The HTTP status of each host error code; anything unexpected is a 500. */
const STATUS: Record<HostErrorCode, number> = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BUSY: 409,
  INVALID_STATE: 409,
  BAD_NAME: 400,
  INVALID_INPUT: 400,
  USAGE: 400,
  CONFIG: 400,
  LINE_TOO_LONG: 422,
  UNSUPPORTED_FILE: 415,
  TOO_LARGE: 413,
  THROTTLED: 429,
  STORAGE: 507,
  CAMERA: 502,
  RENDER: 500,
  DATABASE: 500,
  DISCONNECTED: 503,
  NO_FIRMWARE: 503,
  TIMEOUT: 504,
  FIRMWARE: 502,
  RESEND_LOOP: 502,
  RESEND_UNAVAILABLE: 502,
};

export function statusOf(code: HostErrorCode): number {
  return STATUS[code];
}

export function errorBody(code: string, message: string): ApiErrorBody {
  return { error: { code, message } };
}

/** Sends a HostError as `{"error":{"code","message"}}` with its status (and Retry-After when throttled). */
export function sendError(res: Response, err: HostError): void {
  const retry = err.details.retryAfterSeconds;
  if (err.code === "THROTTLED" && typeof retry === "number") res.set("Retry-After", String(Math.ceil(retry)));
  res.status(statusOf(err.code)).json(errorBody(err.code, err.message));
}

/** body-parser's own errors (malformed JSON, too large, bad charset) as host errors. */
function parserError(err: unknown): HostError | null {
  if (typeof err !== "object" || err === null || !("type" in err)) return null;
  const type = String((err as { type: unknown }).type);
  if (type === "entity.parse.failed")
    return new HostError("INVALID_INPUT", "the request body is not valid JSON");
  if (type === "entity.too.large")
    return new HostError("TOO_LARGE", "the request body is larger than the limit of 100 KB");
  if (type === "charset.unsupported" || type === "encoding.unsupported")
    return new HostError("INVALID_INPUT", "the request body's encoding is not supported");
  return null;
}

/** The last middleware: every error becomes the JSON error shape; unexpected ones are logged, not shown. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const known = isHostError(err) ? err : parserError(err);
    if (res.headersSent) {
      log.warn({ err, path: req.path }, "error after the response started");
      res.destroy();
      return;
    }
    if (known !== null) {
      sendError(res, known);
      return;
    }
    log.error({ err, method: req.method, path: req.path }, "unexpected error in a request");
    res
      .status(500)
      .json(errorBody("INTERNAL", "an unexpected error happened; the daemon's log has the details"));
  };
}
