import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { run, scratchDir } from "../../bench/processes.ts";
import { type SimProcess, startSimProcess } from "../../server/sim/sim-process.ts";
import { CUBE } from "../helpers/fixtures.ts";

const BIN = resolve(import.meta.dirname, "../../bin/layerwatch.js");
let sim: SimProcess | null = null;

afterEach(async () => {
  await sim?.stop();
  sim = null;
});

describe("layerwatch serve (npm start)", () => {
  it("connects to the built-in simulated printer, logs firmware and temperatures, stops cleanly on SIGINT", async () => {
    const data = scratchDir("serve");
    const child = spawn(process.execPath, [BIN, "serve", "--sim-speed", "20", "--data", data], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let log = "";
    child.stderr.on("data", (d: Buffer) => {
      log += d.toString();
    });
    const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
    await expect
      .poll(() => log, { timeout: 15_000, interval: 100 })
      .toMatch(/"msg":"temperatures [^"]*T0 \d/);
    expect(log).toMatch(/"firmware":"Marlin 2[^"]*","profile":"marlin-2"/);
    expect(log).toMatch(/"msg":"firmware detected"/);
    child.kill("SIGINT");
    await expect(exited).resolves.toBe(0);
    expect(log).toMatch(/"signal":"SIGINT","msg":"stopping"/);
    expect(log).toMatch(/"msg":"stopped"/);
    expect(log).toMatch(/"msg":"history database open"/);
    expect(log).toMatch(/"msg":"file store ready"/);
    // First boot: no users, so a one-time setup code and no default password.
    expect(log).toMatch(/"setupCode":"[A-Z0-9]{4}(-[A-Z0-9]{4}){3}","msg":"no users yet/);
  }, 30_000);
});

describe("layerwatch stream", () => {
  it("streams a file and prints one JSON line; exit 0 when every line was acknowledged", async () => {
    sim = await startSimProcess(["--speed", "0", "--advanced-ok"]);
    const result = await run(process.execPath, [BIN, "stream", "--port", sim.link, CUBE]);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout.trim()) as Record<string, number>;
    expect(Object.keys(summary)).toEqual(["lines", "seconds", "linesPerSecond", "resends", "timeouts"]);
    expect(summary.lines).toBe(23_533);
  }, 60_000);

  it("fails with a clear message and a non-zero status when the port does not exist", async () => {
    const result = await run(process.execPath, [BIN, "stream", "--port", "/dev/does-not-exist", CUBE]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /layerwatch stream: cannot open \/dev\/does-not-exist: .* \[DISCONNECTED\]/,
    );
  });

  it("rejects a bad option with usage help (exit 2)", async () => {
    const result = await run(process.execPath, [BIN, "stream", "--port", "/tmp/x", "--window", "lots", CUBE]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--window takes auto, 1 \(ping-pong\) or a number of lines, not 'lots'/);
  });
});
