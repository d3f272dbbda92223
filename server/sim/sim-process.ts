import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** The `layerwatch` command line, run with the same Node as the caller. */
const BIN = resolve(import.meta.dirname, "../../bin/layerwatch.js");

export interface SimProcess {
  /** The pseudo-terminal's symlink: open it with the real serialport bindings. */
  link: string;
  recordFile: string;
  child: ChildProcess;
  /** Stderr so far (the simulator's own messages). */
  stderr(): string;
  /** SIGTERM, then the commands it executed, in order. */
  stop(): Promise<string[]>;
  /** Resolves with the exit code when the process ends by itself (e.g. after a disconnect fault). */
  exited: Promise<number | null>;
}

/**
 * Runs the simulated printer in a process of its own on a new pseudo-terminal, as a real printer would
 * be: `layerwatch sim --link <tmp>/tty --record <tmp>/record.txt …`, resolved once it prints `ready`.
 * Used by the integration tests and the benchmarks.
 */
export async function startSimProcess(
  args: string[] = [],
  options: { record?: boolean } = {},
): Promise<SimProcess> {
  const dir = mkdtempSync(join(tmpdir(), "layerwatch-sim-"));
  const link = join(dir, "tty");
  const recordFile = join(dir, "record.txt");
  const record = options.record === false ? [] : ["--record", recordFile];
  const child = spawn(process.execPath, [BIN, "sim", "--link", link, ...record, ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolveExit) => child.on("exit", (code) => resolveExit(code)));
  await new Promise<void>((resolveReady, reject) => {
    let stdout = "";
    const timer = setTimeout(() => reject(new Error(`simulator not ready after 15 s: ${stderr}`)), 15_000);
    child.stdout?.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (stdout.includes(`ready ${link}`)) {
        clearTimeout(timer);
        resolveReady();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited (${code}) before ready: ${stderr}`));
    });
  });
  return {
    link,
    recordFile,
    child,
    stderr: () => stderr,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      return options.record === false ? [] : readRecording(recordFile);
    },
  };
}

export function readRecording(file: string): string[] {
  const text = readFileSync(file, "utf8");
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}
