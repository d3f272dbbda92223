import { z } from "zod";

/** OctoPrint's `valid_boolean_trues`: `true`, `yes`, `y`, `1` (any case); anything else is false. */
export function octoBoolean(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value === "number") return value === 1;
  return typeof value === "string" && ["true", "yes", "y", "1"].includes(value.trim().toLowerCase());
}

/** A query-string or form flag, OctoPrint-style. */
export const FLAG = z.string().max(20).optional().transform(octoBoolean);

/** `tool0`, `tool1`, … → 0, 1, … */
export const TOOL = z
  .string()
  .regex(/^tool\d{1,2}$/, "expected tool0, tool1, …")
  .transform((t) => Number(t.slice(4)));

/** A factor in percent (50–200) or as a fraction (0.5–2.0), as OctoPrint accepts both. */
export function percentFactor(min: number, max: number) {
  return z
    .number()
    .positive()
    .transform((f) => Math.round(f <= max / 100 ? f * 100 : f))
    .refine((f) => f >= min && f <= max, `expected ${min}–${max} (or ${min / 100}–${max / 100})`);
}
