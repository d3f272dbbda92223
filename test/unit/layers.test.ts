import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Dependencies point one way: api → {jobs, camera, auth} → printer → gcode → serial → util.
 * The simulator stands beside the host and shares only the line format, profile data and utilities;
 * the command line and the top-level files (main.ts, engine-worker.ts) compose everything. Framework
 * imports stay in their layer.
 */
const ROOT = resolve(import.meta.dirname, "../..");
const SERVER = join(ROOT, "server");

const ALLOWED: Record<string, readonly string[]> = {
  util: ["util"],
  serial: ["serial", "util"],
  gcode: ["gcode", "serial", "util"],
  printer: ["printer", "gcode", "serial", "util"],
  jobs: ["jobs", "printer", "gcode", "serial", "util"],
  camera: ["camera", "printer", "gcode", "serial", "util"],
  auth: ["auth", "util"],
  api: ["api", "jobs", "camera", "auth", "printer", "gcode", "serial", "util"],
  sim: ["sim", "util", "gcode/line.ts", "printer/firmware-profile-types.ts", "printer/firmware-profile.ts"],
};
/** Packages only one layer may import. */
const OWNED: Record<string, string> = {
  express: "api",
  "socket.io": "api",
  helmet: "api",
  busboy: "api",
  "bonjour-service": "api",
  "fluent-ffmpeg": "camera",
  "node-webcam": "camera",
};

function sourceFilesOf(dir: string, extensions: readonly string[]): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFilesOf(path, extensions);
    return extensions.some((ext) => path.endsWith(ext)) ? [path] : [];
  });
}

function sourceFiles(dir: string): string[] {
  return sourceFilesOf(dir, [".ts"]);
}

function imports(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return [
    ...text.matchAll(
      /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g,
    ),
  ].map((m) => (m[1] ?? m[2]) as string);
}

function layerOf(path: string): string {
  return relative(SERVER, path).split("/")[0] as string;
}

describe("layer rule", () => {
  const files = sourceFiles(SERVER);

  it("finds the server's source files", () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it("has no backward import between layers", () => {
    const violations: string[] = [];
    for (const file of files) {
      const layer = layerOf(file);
      const allowed = ALLOWED[layer];
      if (allowed === undefined) continue; // cli/ and main.ts compose everything
      for (const spec of imports(file)) {
        if (spec.startsWith(".")) {
          const target = resolve(file, "..", spec);
          if (!target.startsWith(SERVER)) continue;
          const rel = relative(SERVER, target);
          const ok = allowed.some((a) => rel === a || rel.startsWith(`${a}/`));
          if (!ok) violations.push(`${relative(ROOT, file)} imports ${rel}`);
        } else {
          const pkg = spec.startsWith("@")
            ? spec.split("/").slice(0, 2).join("/")
            : (spec.split("/")[0] as string);
          const owner = OWNED[pkg];
          if (owner !== undefined && owner !== layer)
            violations.push(`${relative(ROOT, file)} imports ${pkg}`);
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it("keeps the simulator out of the host's layers", () => {
    const users = files.filter((f) => {
      const layer = layerOf(f);
      // Top-level files (main.ts, the engine worker's entry) are compositions, as cli/ is.
      if (layer === "sim" || layer === "cli" || layer.endsWith(".ts")) return false;
      return imports(f).some((s) => s.includes("/sim/"));
    });
    expect(users.map((f) => relative(ROOT, f))).toEqual([]);
  });
});

/**
 * The dashboard talks to the daemon only through its one API client (web/src/api/), whose types come
 * from the server's contract: no other server file is imported, the contract only for its types, and
 * no other web file opens a connection of its own.
 */
describe("the dashboard's one door to the server", () => {
  const WEB = join(ROOT, "web", "src");
  const CONTRACT = join(SERVER, "api", "contract.ts");
  const webFiles = sourceFilesOf(WEB, [".ts", ".tsx"]);
  const NETWORK = /\bfetch\(|XMLHttpRequest|new WebSocket|EventSource|from "socket\.io-client"/;

  it("finds the dashboard's source files", () => {
    expect(webFiles.length).toBeGreaterThan(10);
  });

  it("imports nothing of the server but the contract's types", () => {
    const violations: string[] = [];
    for (const file of webFiles) {
      const text = readFileSync(file, "utf8");
      for (const match of text.matchAll(
        /(?:^|\n)\s*(import|export)(\s+type)?[^'"]*?from\s+["']([^"']+)["']/g,
      )) {
        const spec = match[3] as string;
        if (!spec.startsWith(".")) continue;
        const target = resolve(file, "..", spec);
        if (target.startsWith(join(ROOT, "web"))) continue;
        if (target !== CONTRACT) violations.push(`${relative(ROOT, file)} imports ${relative(ROOT, target)}`);
        else if (match[2] === undefined)
          violations.push(`${relative(ROOT, file)} imports the contract for values`);
      }
    }
    expect(violations).toEqual([]);
  });

  it("opens connections only in web/src/api/", () => {
    const outside = webFiles.filter(
      (f) => !f.startsWith(join(WEB, "api")) && NETWORK.test(readFileSync(f, "utf8")),
    );
    expect(outside.map((f) => relative(ROOT, f))).toEqual([]);
  });
});
