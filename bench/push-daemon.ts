// The daemon for the push bench, in a process of its own (so its RSS and CPU time are its own).
// startPushDaemon() runs this file as `node --import tsx bench/push-daemon.ts --engine worker|inline
// --printer PATH --baud N --data DIR --keys N`; the child prints `ready {"url","keys"}` once serving
// (127.0.0.1, a free port), with N API keys of one viewer. Then, per stdin line `print PATH`: it
// stores the file, starts it, prints `started <jobId>` once it streams and, when it ends,
// `finished {"outcome","seconds"}` (seconds between the two, on the daemon's clock); and, whenever
// the state becomes `resuming`, `resumed <CLOCK_MONOTONIC ns>`. Per stdin line `stall MS EVERY`: the
// main thread is kept busy (synchronous work) MS ms out of every EVERY ms, until `stall 0 0`; it
// answers `stalling`. SIGTERM stops it.
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { basename } from "node:path";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { loadConfig } from "../server/config.ts";
import type { JobOutcome } from "../server/jobs/control/job-ports.ts";
import { Daemon } from "../server/main.ts";
import { createRootLogger } from "../server/util/log.ts";

export interface PushDaemon {
  url: string;
  keys: string[];
  pid: number;
  /**
   * CLOCK_MONOTONIC ns at which the daemon's main thread saw each `state` → `resuming` event, after
   * the push hub (subscribed first) had handed its message to every socket.
   */
  resumedAt: bigint[];
  /** Prints `file`; `seconds` from its start (streaming) to its end, timed by the daemon's process. */
  print(file: string): Promise<{ outcome: JobOutcome; seconds: number }>;
  /** Busy-waits the daemon's main thread `ms` out of every `everyMs` (0: stop). */
  stall(ms: number, everyMs: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startPushDaemon(options: {
  engine: "worker" | "inline";
  printer: string;
  data: string;
  keys: number;
}): Promise<PushDaemon> {
  const args = ["--engine", options.engine, "--printer", options.printer, "--baud", "250000"];
  args.push("--data", options.data, "--keys", String(options.keys));
  const child = spawn(process.execPath, ["--import", "tsx", import.meta.filename, ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting: ((line: string) => void)[] = [];
  const resumedAt: bigint[] = [];
  let buffered = "";
  child.stdout.on("data", (d: Buffer) => {
    buffered += d.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line.startsWith("resumed ")) resumedAt.push(BigInt(line.slice(8)));
      else waiting.shift()?.(line);
    }
  });
  const exited = new Promise<void>((done) => child.on("exit", () => done()));
  const expect = (prefix: string): Promise<string> =>
    new Promise((got, fail) => {
      waiting.push((line) =>
        line.startsWith(prefix) ? got(line.slice(prefix.length)) : fail(new Error(line)),
      );
      void exited.then(() => fail(new Error("the bench daemon exited")));
    });
  const { url, keys } = JSON.parse(await expect("ready ")) as { url: string; keys: string[] };
  return {
    url,
    keys,
    pid: child.pid as number,
    resumedAt,
    async print(file) {
      child.stdin.write(`print ${file}\n`);
      await expect("started ");
      return JSON.parse(await expect("finished ")) as { outcome: JobOutcome; seconds: number };
    },
    async stall(ms, everyMs) {
      child.stdin.write(`stall ${ms} ${everyMs}\n`);
      await expect("stalling");
    },
    async stop() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}

/** The child: the real daemon with the simulated printer on PATH, its engine where asked. */
async function runChild(): Promise<void> {
  const { values } = parseArgs({
    options: {
      engine: { type: "string" },
      printer: { type: "string" },
      baud: { type: "string" },
      data: { type: "string" },
      keys: { type: "string" },
    },
  });
  const config = loadConfig({
    httpPort: 0,
    http: { host: "127.0.0.1", mdns: false },
    dataDir: values.data as string,
    engine: values.engine === "inline" ? "inline" : "worker",
    printer: { port: values.printer as string, baudRate: Number(values.baud) },
    log: { level: "error" },
  });
  const daemon = new Daemon({ config, log: createRootLogger({ level: "error" }) });
  await daemon.start();
  const parts = daemon.parts;
  if (parts === null) throw new Error("the daemon did not start");
  const viewer = await parts.auth.createUser({ name: "bench", role: "viewer", password: "bench password 1" });
  const keys = Array.from(
    { length: Number(values.keys ?? 1) },
    (_, i) => parts.auth.createApiKey(viewer.id, `bench-${i}`).key,
  );
  parts.engine.on("state", ({ to }) => {
    if (to === "resuming") process.stdout.write(`resumed ${process.hrtime.bigint()}\n`);
  });
  process.stdout.write(`ready ${JSON.stringify({ url: `http://127.0.0.1:${parts.api.port}`, keys })}\n`);

  const print = async (path: string): Promise<void> => {
    const name = `bench/${basename(path)}`;
    await parts.files.save(name, createReadStream(path), { overwrite: true });
    const jobId = await parts.engine.print(name, { user: "bench" });
    const started = performance.now();
    process.stdout.write(`started ${jobId}\n`);
    const outcome = await parts.engine.whenFinished();
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`finished ${JSON.stringify({ outcome, seconds })}\n`);
  };
  // Stands for synchronous main-thread work: a large JSON answer, a camera frame, a busy socket.
  let staller: NodeJS.Timeout | undefined;
  const stall = (ms: number, everyMs: number): void => {
    clearInterval(staller);
    if (ms > 0)
      staller = setInterval(() => {
        const until = performance.now() + ms;
        while (performance.now() < until) {
          // busy
        }
      }, everyMs);
    process.stdout.write("stalling\n");
  };
  const lines = createInterface({ input: process.stdin });
  lines.on("line", (line) => {
    if (line.startsWith("print "))
      print(line.slice(6)).catch((err: unknown) => process.stdout.write(`failed ${String(err)}\n`));
    const stallArgs = /^stall (\d+) (\d+)$/.exec(line);
    if (stallArgs !== null) stall(Number(stallArgs[1]), Number(stallArgs[2]));
  });
  process.once("SIGTERM", () => {
    lines.close();
    void daemon.stop().finally(() => process.exit(0));
  });
}

if (process.argv[1] === import.meta.filename) await runChild();
