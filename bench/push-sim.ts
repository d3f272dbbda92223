// The simulated printer for the push bench, as `layerwatch sim` runs it (pty from pty-exec.py on fd
// 3–5), plus a timing tap: every `ok` that follows `//action:resumed` (the ok of an M600, whose
// arrival moves the host's print from paused back to printing) is reported on stdout as
// `stamp <ns>`, the CLOCK_MONOTONIC time (process.hrtime, shared by every process on the machine)
// at which the simulated wire delivers it to the pty. Run by bench/push.ts through startPushSim().
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadFirmwareProfile } from "../server/printer/firmware-profile.ts";
import {
  defaultSimConfig,
  PtyLink,
  parseSimArgs,
  SimulatedPrinter,
  validateSimConfig,
} from "../server/sim/index.ts";

const PTY_EXEC = resolve(import.meta.dirname, "../server/sim/pty-exec.py");

export interface PushSim {
  link: string;
  /** The simulator's process (pty-exec.py execs it in place). */
  pid: number;
  /** CLOCK_MONOTONIC ns of each tapped line so far, in order. */
  stamps: bigint[];
  stop(): Promise<void>;
}

/** Starts this file under pty-exec.py; resolves once the simulator is ready. */
export async function startPushSim(args: string[]): Promise<PushSim> {
  const link = join(mkdtempSync(join(tmpdir(), "layerwatch-push-sim-")), "tty");
  const child = spawn(
    "python3",
    [
      PTY_EXEC,
      link,
      "--",
      process.execPath,
      "--import",
      "tsx",
      import.meta.filename,
      "--link",
      link,
      ...args,
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  const stamps: bigint[] = [];
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  await new Promise<void>((ready, fail) => {
    let buffered = "";
    child.stdout.on("data", (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        if (line.startsWith("ready ")) ready();
        else if (line.startsWith("stamp ")) stamps.push(BigInt(line.slice(6)));
      }
    });
    child.on("exit", (code) => fail(new Error(`push sim exited (${code}) before ready: ${stderr}`)));
  });
  return {
    link,
    pid: child.pid as number,
    stamps,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The child: the simulator on the inherited pty, with the tap. */
async function runChild(argv: string[]): Promise<void> {
  const options = parseSimArgs(argv);
  const config = defaultSimConfig(loadFirmwareProfile(options.profile));
  options.apply(config);
  config.record.inMemory = false;
  const printer = new SimulatedPrinter(validateSimConfig(config));
  const watch = process.env.LAYERWATCH_PTY_WATCH_FD;
  // Not kept awake (unlike `layerwatch sim` on a paced link): its busy-wait would take one of the
  // machine's cores from the daemon under test, whose worker thread needs one of its own.
  const link = new PtyLink(printer, { watchFd: watch === undefined ? null : Number(watch) });
  let resumed = false;
  let partial = "";
  printer.onToHost((bytes) => {
    const at = process.hrtime.bigint();
    const lines = (partial + bytes.toString("latin1")).split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("//action:resumed")) resumed = true;
      else if (resumed && line.startsWith("ok")) {
        resumed = false;
        process.stdout.write(`stamp ${at}\n`);
      }
    }
  });
  const stop = (): void => {
    link.close();
    void printer.stop().finally(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  printer.start();
  link.start(stop);
  process.stdout.write(`ready ${options.link}\n`);
}

if (process.env.LAYERWATCH_PTY_SLAVE !== undefined && process.argv[1] === import.meta.filename) {
  await runChild(process.argv.slice(2));
}
