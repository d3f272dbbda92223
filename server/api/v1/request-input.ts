import type { Request } from "express";
import { z } from "zod";
import { HostError } from "../../util/errors.ts";
import { parseInput } from "../validate.ts";

/**
 * The JSON body parsed by `schema`. A body sent as anything but JSON is 415 (the JSON parser left it
 * unread); no body at all counts as `{}`, so actions without parameters may be sent bare.
 */
export function jsonBody<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  const hasBody =
    req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (hasBody && !req.is("application/json"))
    throw new HostError(
      "UNSUPPORTED_FILE",
      `send the request body as JSON (Content-Type: application/json), not ${req.get("content-type") ?? "without a type"}`,
    );
  return parseInput(schema, req.body === undefined ? {} : req.body, "body");
}

/** The body of an action without parameters: `{}`, or no body at all (see jsonBody). */
export const EMPTY_BODY = z.strictObject({});

/** The query string parsed by `schema` (express gives strings, or arrays for repeated keys). */
export function queryOf<S extends z.ZodType>(req: Request, schema: S): z.output<S> {
  return parseInput(schema, req.query, "query");
}

/** `true`/`false`/`1`/`0` in a query string. */
export const QUERY_BOOLEAN = z
  .enum(["true", "false", "1", "0"], { message: "expected true or false" })
  .transform((v) => v === "true" || v === "1");

/** A non-negative integer in a query string or path, within [min, max]. */
export function queryInt(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d{1,15}$/, "expected a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));
}

/** `?limit=&offset=` for paged lists, newest first. */
export const PAGE = { limit: queryInt(1, 500).optional(), offset: queryInt(0, 1e12).optional() };
const DEFAULT_PAGE_SIZE = 50;

/** A parsed PAGE query's `limit` and `offset`, defaults filled in. */
export function pageOf(query: { limit?: number | undefined; offset?: number | undefined }): {
  limit: number;
  offset: number;
} {
  return { limit: query.limit ?? DEFAULT_PAGE_SIZE, offset: query.offset ?? 0 };
}

/** A path parameter (`/files/*path`) as the store's relative path: its segments joined with `/`. */
export function pathParam(req: Request, name = "path"): string {
  const value = (req.params as Record<string, string | string[] | undefined>)[name];
  if (value === undefined) throw new HostError("INVALID_INPUT", `the path has no ${name}`);
  return Array.isArray(value) ? value.join("/") : value;
}

/** `/api/v1/files/<each segment percent-encoded>`. */
export function filesUrl(path: string, suffix = ""): string {
  return `/api/v1/files/${path.split("/").map(encodeURIComponent).join("/")}${suffix}`;
}
