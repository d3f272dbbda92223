import type { Request } from "express";
import { z } from "zod";
import { parseInput } from "../validate.ts";

/** A row id in a path: a positive decimal integer without sign, exponent or leading zeros. */
const ID = z
  .string()
  .regex(/^[1-9][0-9]{0,14}$/, "expected a positive integer id")
  .transform(Number);

/** `req.params[name]` as a row id, or INVALID_INPUT (`params.id: expected a positive integer id`). */
export function idParam(req: Request, name = "id"): number {
  return parseInput(ID, req.params[name], `params.${name}`);
}
