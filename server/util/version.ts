import { readFileSync } from "node:fs";

let cached: string | null = null;

/** The daemon's version, from package.json (read once). */
export function daemonVersion(): string {
  if (cached === null) {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version?: unknown;
    };
    cached = typeof pkg.version === "string" ? pkg.version : "0.0.0";
  }
  return cached;
}
