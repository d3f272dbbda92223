import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import type { Browser } from "playwright-core";
import { loadConfig } from "../server/config.ts";
import { Daemon } from "../server/main.ts";
import { silentLogger } from "../server/util/log.ts";
import { launchChromium, phoneContext } from "../test/e2e/browser.ts";
import { scratchDir } from "./processes.ts";

/**
 * Issue 6's figures: the dashboard's first-load JavaScript (what web/dist/index.html loads, gzipped
 * at level 9) and the time from navigation to the home screen showing the printer's state, in a
 * phone-sized Debian Chromium against the real daemon on localhost, as is and with the CPU slowed 4×
 * (Chrome DevTools' "mid-tier mobile"). Build the dashboard first (`npm run build:web`).
 */

const DIST = path.resolve(import.meta.dirname, "../web/dist");
const RUNS = 7;
const PASSWORD = "a long enough bench password";

export interface WebReport {
  firstLoad: {
    files: { file: string; bytes: number; gzipBytes: number }[];
    jsGzipBytes: number;
    cssGzipBytes: number;
  };
  firstRender: { cpuSlowdown: number; medianMs: number; runsMs: number[] }[];
}

/** The scripts, module preloads and stylesheets the page loads before anything else. */
function firstLoadFiles(): { file: string; bytes: number; gzipBytes: number }[] {
  const html = readFileSync(path.join(DIST, "index.html"), "utf8");
  const refs = [
    ...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*\shref)="(\/assets\/[^"]+\.(?:js|css))"/g),
  ].map((m) => m[1] as string);
  return [...new Set(refs)].map((ref) => {
    const body = readFileSync(path.join(DIST, ref));
    return { file: ref, bytes: body.length, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
}

async function firstRender(
  browser: Browser,
  url: string,
  cookie: string,
  slowdown: number,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await phoneContext(browser, url);
    const [name, value] = cookie.split("=") as [string, string];
    await context.addCookies([{ name, value, url }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: slowdown });
    await page.goto(url, { waitUntil: "commit" });
    // A selector, not a predicate: the page's CSP forbids the eval a string predicate needs.
    await page.waitForSelector('[data-testid="printer-state"]:not(:empty)', { timeout: 30_000 });
    times.push(await page.evaluate<number>("performance.now()"));
    await context.close();
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

export async function benchWeb(print: (line: string) => void): Promise<WebReport> {
  const files = firstLoadFiles();
  const js = files.filter((f) => f.file.endsWith(".js")).reduce((sum, f) => sum + f.gzipBytes, 0);
  const css = files.filter((f) => f.file.endsWith(".css")).reduce((sum, f) => sum + f.gzipBytes, 0);
  for (const f of files)
    print(`${f.file}: ${(f.bytes / 1024).toFixed(1)} KB, ${(f.gzipBytes / 1024).toFixed(1)} KB gzipped`);
  print(
    `first-load JS ${(js / 1024).toFixed(1)} KB gzipped (target ≤ 150 KB), CSS ${(css / 1024).toFixed(1)} KB`,
  );

  const config = loadConfig({
    dataDir: scratchDir("web-bench"),
    httpPort: 0,
    engine: "worker",
    log: { level: "silent" },
    http: { host: "127.0.0.1", mdns: false },
    printer: { port: "virtual", simSpeed: 1 },
  });
  const daemon = new Daemon({ config, log: silentLogger() });
  await daemon.start();
  const parts = daemon.parts;
  if (parts === null) throw new Error("the daemon did not start");
  const url = `http://127.0.0.1:${parts.api.port}`;
  await parts.auth.createUser({ name: "bench", password: PASSWORD, role: "admin" });
  const login = await fetch(`${url}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: url },
    body: JSON.stringify({ name: "bench", password: PASSWORD }),
  });
  const cookie = (login.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
  if (login.status !== 200 || cookie === "") throw new Error(`login failed: ${login.status}`);
  const browser = await launchChromium();
  const firstRenders: WebReport["firstRender"] = [];
  try {
    for (const slowdown of [1, 4]) {
      const runs = await firstRender(browser, url, cookie, slowdown);
      firstRenders.push({ cpuSlowdown: slowdown, medianMs: median(runs), runsMs: runs });
      print(
        `home screen with the printer's state, CPU ${slowdown}×: median ${median(runs).toFixed(0)} ms ` +
          `(${runs.map((r) => r.toFixed(0)).join(", ")})`,
      );
    }
  } finally {
    await browser.close();
    await daemon.stop();
  }
  return { firstLoad: { files, jsGzipBytes: js, cssGzipBytes: css }, firstRender: firstRenders };
}
