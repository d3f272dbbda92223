import type { z } from "zod";
import { HostError } from "../util/errors.ts";

/**
 * `value` parsed by `schema`, or INVALID_INPUT naming the first offending field
 * (`body.targets.tool0: expected number, received string`).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where = "body"): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [where, ...(issue?.path ?? []).map(String)].join(".");
  throw new HostError("INVALID_INPUT", `${path}: ${issue?.message ?? "invalid"}`);
}
