import { spawn } from "node:child_process";
import { existsSync, lstatSync, readFileSync, readlinkSync, unlinkSync } from "node:fs";
import { constants } from "node:os";
import { dirname } from "node:path";
import { isatty } from "node:tty";
import { fileURLToPath } from "node:url";
import type { FirmwareProfile } from "../printer/firmware-profile-types.ts";
import {
  defaultSimConfig,
  PTY_MASTER_FD,
  PtyLink,
  parseSimArgs,
  SIM_USAGE,
  type SimConfig,
  type SimOptions,
  SimulatedPrinter,
  validateSimConfig,
} from "../sim/index.ts";
import { HostError, isHostError } from "../util/errors.ts";
import { createRootLogger } from "../util/log.ts";

const PTY_EXEC = fileURLToPath(new URL("../sim/pty-exec.py", import.meta.url));
const BIN = fileURLToPath(new URL("../../bin/layerwatch.js", import.meta.url));

/**
 * `layerwatch sim --link PATH …`: validates the options, then runs
 * `python3 pty-exec.py PATH -- node bin/layerwatch.js __sim-pty-child …` (which owns the pty),
 * forwarding SIGINT/SIGTERM; returns the child's exit code.
 */
export async function runSimCommand(argv: string[]): Promise<number> {
  const options = parseSimArgs(argv);
  if (options.help) {
    console.log(SIM_USAGE);
    return 0;
  }
  simConfig(options);
  if (!existsSync(dirname(options.link)))
    throw new HostError("USAGE", `--link: directory ${dirname(options.link)} does not exist`);
  const child = spawn(
    "python3",
    [PTY_EXEC, options.link, "--", process.execPath, BIN, "__sim-pty-child", ...argv],
    {
      stdio: "inherit",
    },
  );
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const onInt = forward("SIGINT");
  const onTerm = forward("SIGTERM");
  process.on("SIGINT", onInt);
  process.on("SIGTERM", onTerm);
  try {
    return await new Promise<number>((resolve, reject) => {
      child.on("error", (err) =>
        reject(new HostError("CONFIG", `cannot start python3 for the pseudo-terminal: ${err.message}`)),
      );
      child.on("exit", (code, signal) =>
        resolve(code ?? 128 + (signal === null ? 0 : (constants.signals[signal] ?? 0))),
      );
    });
  } finally {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
    removeLink(options.link);
  }
}

/**
 * The simulator on the pty that pty-exec.py handed over (fd 3 master, fd 4 slave, fd 5 inotify).
 * Prints `ready PATH` on stdout, nothing else; runs until SIGINT/SIGTERM or a simulated disconnect,
 * writes the recording, removes the link and exits 0.
 */
export async function runSimPtyChild(argv: string[]): Promise<number> {
  const options = parseSimArgs(argv);
  if (!isatty(PTY_MASTER_FD))
    throw new HostError("USAGE", "__sim-pty-child runs under pty-exec.py (no pty on fd 3)");
  const config = simConfig(options);
  config.record.inMemory = false;
  const logger = createRootLogger({ level: process.env.LAYERWATCH_SIM_LOG ?? "info" });
  const watch = process.env.LAYERWATCH_PTY_WATCH_FD;
  const printer = new SimulatedPrinter(config, { logger });
  const link = new PtyLink(printer, {
    watchFd: watch === undefined ? null : Number(watch),
    logger,
    // A paced link models wire timing to the microsecond: a real UART never sleeps.
    keepAwake: config.link.bytesPerSecond > 0,
  });
  if (watch === undefined)
    process.stderr.write("layerwatch sim: no inotify; the board will not reset when the port opens\n");
  const code = await new Promise<number>((resolve) => {
    let stopping = false;
    const finish = (reason: string): void => {
      if (stopping) return;
      stopping = true;
      link.close();
      const stats = printer.stats;
      process.stderr.write(
        `layerwatch sim: ${reason}; ${stats.executed} commands executed, ${stats.lineErrors} line errors, ${stats.lostBytes} bytes lost\n`,
      );
      printer.stop().then(
        () => resolve(0),
        (err: unknown) => {
          process.stderr.write(`layerwatch sim: writing the recording failed: ${String(err)}\n`);
          resolve(1);
        },
      );
    };
    process.on("SIGINT", () => finish("interrupted"));
    process.on("SIGTERM", () => finish("terminated"));
    printer.start();
    link.start(() => finish("simulated disconnect"));
    process.stdout.write(`ready ${options.link}\n`);
  });
  removeLink(options.link);
  // The inotify read blocks a thread-pool thread for good; exit even though it is still pending.
  setTimeout(() => process.exit(code), 50).unref();
  return code;
}

function simConfig(options: SimOptions): SimConfig {
  const config = defaultSimConfig(loadProfile(options.profile));
  options.apply(config);
  try {
    return validateSimConfig(config);
  } catch (err) {
    if (isHostError(err, "CONFIG")) throw new HostError("USAGE", err.message);
    throw err;
  }
}

function loadProfile(name: string): FirmwareProfile {
  const url = new URL(`../../firmware-profiles/${name}.json`, import.meta.url);
  if (!existsSync(url))
    throw new HostError("USAGE", `--profile: unknown profile '${name}' (no firmware-profiles/${name}.json)`);
  return JSON.parse(readFileSync(url, "utf8")) as FirmwareProfile;
}

/** Removes the symlink if it still points at a pseudo-terminal (never anything else). */
function removeLink(link: string): void {
  try {
    if (lstatSync(link).isSymbolicLink() && readlinkSync(link).startsWith("/dev/pts/")) unlinkSync(link);
  } catch {
    // already gone
  }
}
