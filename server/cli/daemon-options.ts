import { type DaemonConfig, type DeepPartial, loadConfig } from "../config.ts";
import { HostError } from "../util/errors.ts";
import { parseBaud, parseWindow } from "./stream-command.ts";

/** The options every command that runs the daemon takes (`serve`, `print`, `recover`). */
export const DAEMON_OPTIONS = {
  "http-port": { type: "string" },
  data: { type: "string" },
  printer: { type: "string" },
  baud: { type: "string" },
  profile: { type: "string" },
  window: { type: "string" },
  "sim-speed": { type: "string" },
  engine: { type: "string" },
  "log-level": { type: "string" },
  help: { type: "boolean" },
} as const;

export const DAEMON_OPTIONS_HELP = `  --data DIR            data directory: files, history, recovery point (default ./data)
  --printer virtual|PATH  the built-in simulated printer (default) or a serial device
  --baud N              baud rate (default: detect)
  --profile NAME        firmware profile (default: detect from M115)
  --window auto|1|N     flow control: auto, ping-pong (1) or N lines in flight
  --sim-speed FACTOR    the simulated printer's time factor (default 1)
  --engine worker|inline  the printer and its jobs in a worker thread (default), or in the main thread
  --log-level LEVEL     trace, debug, info, warn, error, fatal or silent`;

type Values = {
  [K in keyof typeof DAEMON_OPTIONS]?: (typeof DAEMON_OPTIONS)[K]["type"] extends "boolean"
    ? boolean
    : string;
};

function number(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new HostError("USAGE", `--${name} takes a number, not '${value}'`);
  return n;
}

/** Defaults overlaid with the command line's options, validated (errors name the key). */
export function configFromOptions(values: Values): DaemonConfig {
  const overrides: DeepPartial<DaemonConfig> = {
    ...(values["http-port"] !== undefined ? { httpPort: number("http-port", values["http-port"]) } : {}),
    ...(values.data !== undefined ? { dataDir: values.data } : {}),
    ...(values.engine !== undefined ? { engine: values.engine as DaemonConfig["engine"] } : {}),
    printer: {
      ...(values.printer !== undefined ? { port: values.printer } : {}),
      ...(values.baud !== undefined ? { baudRate: parseBaud(values.baud) } : {}),
      ...(values.profile !== undefined ? { profile: values.profile } : {}),
      ...(values.window !== undefined ? { flow: parseWindow(values.window) } : {}),
      ...(values["sim-speed"] !== undefined ? { simSpeed: number("sim-speed", values["sim-speed"]) } : {}),
    },
    ...(values["log-level"] !== undefined ? { log: { level: values["log-level"] } } : {}),
  };
  return loadConfig(overrides);
}

/** Resolves with the signal's name at the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve("SIGINT"));
    process.once("SIGTERM", () => resolve("SIGTERM"));
  });
}
