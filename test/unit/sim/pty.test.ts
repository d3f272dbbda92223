import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { SerialPort } from "serialport";
import { afterEach, describe, expect, it } from "vitest";
import { formatLine } from "./sim-harness.ts";

const BIN = resolve(import.meta.dirname, "../../../bin/layerwatch.js");

interface Sim {
  child: ChildProcess;
  link: string;
  dir: string;
  exited: Promise<number | null>;
  stderr: () => string;
}

const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
});

async function startSim(args: string[]): Promise<Sim> {
  const dir = mkdtempSync(join(tmpdir(), "layerwatch-pty-"));
  const link = join(dir, "ttySim");
  const child = spawn(process.execPath, [BIN, "sim", "--link", link, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.push(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((done) => child.on("exit", (code) => done(code)));
  await new Promise<void>((ready, fail) => {
    let stdout = "";
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout === `ready ${link}\n`) ready();
      else if (!`ready ${link}\n`.startsWith(stdout)) fail(new Error(`unexpected stdout: ${stdout}`));
    });
    child.on("exit", (code) => fail(new Error(`simulator exited (${code}) before ready: ${stderr}`)));
  });
  return { child, link, dir, exited, stderr: () => stderr };
}

/** Opens the pty with the real serialport bindings and collects lines. */
async function openHost(path: string) {
  const port = new SerialPort({ path, baudRate: 250000, autoOpen: false });
  let pending = "";
  const lines: string[] = [];
  const waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  port.on("data", (d: Buffer) => {
    pending += d.toString("latin1");
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    for (const line of parts) {
      lines.push(line);
      const i = waiters.findIndex((w) => w.match(line));
      if (i !== -1) waiters.splice(i, 1)[0]?.resolve(line);
    }
  });
  const closed = new Promise<(Error & { disconnected?: boolean }) | null>((done) => port.on("close", done));
  await new Promise<void>((ok, fail) => port.open((err) => (err ? fail(err) : ok())));
  const until = (match: (l: string) => boolean, what: string): Promise<string> => {
    const seen = lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((done, fail) => {
      const timer = setTimeout(
        () => fail(new Error(`no ${what} within 8 s; received ${JSON.stringify(lines)}`)),
        8000,
      );
      waiters.push({
        match,
        resolve: (line) => {
          clearTimeout(timer);
          done(line);
        },
      });
    });
  };
  return { port, lines, until, closed };
}

function within<T>(promise: Promise<T>, what: string, ms = 8000): Promise<T> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        done(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        fail(err);
      },
    );
  });
}

describe("layerwatch sim on a pseudo-terminal", () => {
  it("resets on open, answers through the real serialport bindings, and drops the link on a fault", async () => {
    const sim = await startSim(["--speed", "0", "--disconnect-at-line", "3"]);
    expect(existsSync(sim.link)).toBe(true);
    const host = await openHost(sim.link);
    await host.until((l) => l === "echo:SD card ok", "banner");
    expect(host.lines[0]).toBe("start");
    host.port.write(formatLine(1, "M105"));
    expect(await host.until((l) => l.startsWith("ok"), "M105 ok")).toBe(
      "ok T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0",
    );
    host.port.write(formatLine(2, "G28"));
    await host.until((l) => l.startsWith("X:"), "G28 position");
    host.port.write(formatLine(3, "M105"));
    const err = await within(host.closed, "the host port to close");
    expect(err?.disconnected).toBe(true);
    expect(await within(sim.exited, `the simulator to exit (stderr: ${sim.stderr()})`)).toBe(0);
    expect(existsSync(sim.link)).toBe(false);
    expect(sim.stderr()).toMatch(/simulated disconnect/);
  });

  it("records executed commands to a file and exits 0 on SIGTERM", async () => {
    const dir = mkdtempSync(join(tmpdir(), "layerwatch-rec-"));
    const record = join(dir, "record.txt");
    const sim = await startSim(["--speed", "0", "--advanced-ok", "--record", record]);
    const host = await openHost(sim.link);
    await host.until((l) => l === "echo:SD card ok", "banner");
    host.port.write(`${formatLine(1, "G1 X10 Y20 E0.5")}${formatLine(2, "M114")}`);
    expect(await host.until((l) => l.startsWith("ok N2"), "ok N2")).toBe("ok N2 P15 B3");
    sim.child.kill("SIGTERM");
    expect(await within(sim.exited, "the simulator to exit")).toBe(0);
    expect(readFileSync(record, "utf8")).toBe("G1 X10 Y20 E0.5\nM114\n");
    expect(existsSync(sim.link)).toBe(false);
    host.port.destroy();
  });

  it("rejects bad options with exit code 2 before creating anything", async () => {
    const child = spawn(process.execPath, [BIN, "sim", "--link", "/tmp/x", "--corrupt", "1.5"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(2);
    expect(stderr).toMatch(/--corrupt must be a ratio between 0 and 1/);
  });
});
