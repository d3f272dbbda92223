import { parseArgs } from "node:util";
import { type DaemonConfig, type DeepPartial, loadConfig } from "../config.ts";
import { Daemon } from "../main.ts";
import { HostError } from "../util/errors.ts";
import { createRootLogger } from "../util/log.ts";
import { parseBaud, parseWindow } from "./stream-command.ts";

const HELP = `usage: layerwatch serve [--http-port 5000] [--data DIR] [--printer virtual|PATH] [--baud N]
                       [--profile NAME] [--window auto|1|N] [--sim-speed FACTOR] [--log-level LEVEL]

Runs the daemon. With --printer virtual (the default) it drives the built-in simulated printer.`;

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new HostError("USAGE", `--${name} takes a number, not '${value}'`);
  return n;
}

export async function runServeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      "http-port": { type: "string" },
      data: { type: "string" },
      printer: { type: "string" },
      baud: { type: "string" },
      profile: { type: "string" },
      window: { type: "string" },
      "sim-speed": { type: "string" },
      "log-level": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const overrides: DeepPartial<DaemonConfig> = {
    ...(values["http-port"] !== undefined ? { httpPort: number("http-port", values["http-port"]) } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    printer: {
      ...(values.printer !== undefined ? { port: values.printer } : {}),
      ...(values.baud !== undefined ? { baudRate: parseBaud(values.baud) } : {}),
      ...(values.profile !== undefined ? { profile: values.profile } : {}),
      ...(values.window !== undefined ? { flow: parseWindow(values.window) } : {}),
      ...(values["sim-speed"] !== undefined ? { simSpeed: number("sim-speed", values["sim-speed"]) } : {}),
    },
    ...(values["log-level"] !== undefined ? { log: { level: values["log-level"] } } : {}),
  };
  const config = loadConfig(overrides);
  const log = createRootLogger({ level: config.log.level, levels: config.log.levels });
  const daemon = new Daemon({ config, log });
  const stopped = new Promise<string>((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
  await daemon.start();
  const signal = await stopped;
  log.info({ signal }, "stopping");
  await daemon.stop();
  log.info("stopped");
  return 0;
}
