import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
export const BIN = join(ROOT, "bin/layerwatch.js");

export function scratchDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `layerwatch-${prefix}-`));
}

/** Runs a command to completion, collecting stdout and stderr. */
export function run(
  command: string,
  args: string[],
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    child.on("exit", (code) => resolveRun({ code, stdout, stderr }));
  });
}

export interface RunningSim {
  link: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** `layerwatch sim` on a new pseudo-terminal; resolves once it prints `ready`. */
export async function startSim(args: string[]): Promise<RunningSim> {
  const link = join(scratchDir("bench-sim"), "tty");
  const child = spawn(process.execPath, [BIN, "sim", "--link", link, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  await new Promise<void>((ready, fail) => {
    let out = "";
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("ready")) ready();
    });
    child.on("exit", (code) => fail(new Error(`simulator exited (${code}): ${stderr}`)));
  });
  return {
    link,
    child,
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
