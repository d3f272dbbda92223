import { parseArgs } from "node:util";
import { Daemon } from "../main.ts";
import { createRootLogger } from "../util/log.ts";
import { configFromOptions, DAEMON_OPTIONS, DAEMON_OPTIONS_HELP, untilSignal } from "./daemon-options.ts";

const HELP = `usage: layerwatch serve [--http-port 5000] [options]

Runs the daemon. With --printer virtual (the default) it drives the built-in simulated printer.

${DAEMON_OPTIONS_HELP}`;

export async function runServeCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: DAEMON_OPTIONS });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = configFromOptions(values);
  const log = createRootLogger({ level: config.log.level, levels: config.log.levels });
  const daemon = new Daemon({ config, log });
  const stopped = untilSignal();
  await daemon.start();
  const signal = await stopped;
  log.info({ signal }, "stopping");
  await daemon.stop();
  log.info("stopped");
  return 0;
}
