import { createReadStream } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { JobOutcome } from "../jobs/control/job-ports.ts";
import type { Engine } from "../jobs/engine/engine.ts";
import { Daemon } from "../main.ts";
import { HostError } from "../util/errors.ts";
import { createRootLogger, type Logger } from "../util/log.ts";
import { configFromOptions, DAEMON_OPTIONS, DAEMON_OPTIONS_HELP, untilSignal } from "./daemon-options.ts";

const HELP = `usage: layerwatch print [options] FILE

Stores FILE in the data directory and prints it through the job layer (history, recovery point),
logging progress. Ctrl-C cancels the print (cancel script: heaters off). Prints the outcome as one
JSON line; exit status 0 when the print finished.

${DAEMON_OPTIONS_HELP}`;

export async function runPrintCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: DAEMON_OPTIONS, allowPositionals: true });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const file = positionals[0];
  if (file === undefined || positionals.length > 1)
    throw new HostError("USAGE", `one FILE is required\n\n${HELP}`);
  const config = configFromOptions(values);
  const log = createRootLogger({ level: config.log.level, levels: config.log.levels });
  return withDaemon(config, log, async (daemon) => {
    const { files, engine } = daemon;
    const stored = await files.save(path.basename(file), createReadStream(file), { overwrite: true });
    await engine.print(stored.path, { user: "command line" });
    return followPrint(engine, log);
  });
}

/** Starts the daemon, runs `body`, stops the daemon whatever happens. */
export async function withDaemon(
  config: ReturnType<typeof configFromOptions>,
  log: Logger,
  body: (parts: NonNullable<Daemon["parts"]>) => Promise<number>,
): Promise<number> {
  const daemon = new Daemon({ config, log });
  try {
    await daemon.start();
    const parts = daemon.parts;
    if (parts === null) throw new HostError("INVALID_STATE", "the daemon did not start");
    return await body(parts);
  } finally {
    await daemon.stop();
  }
}

/** Logs progress every few seconds; a signal cancels. Prints the outcome; 0 when the print finished. */
export async function followPrint(engine: Engine, log: Logger): Promise<number> {
  const finished = engine.whenFinished();
  if (finished === null) throw new HostError("INVALID_STATE", "no print is running");
  let last = 0;
  const offProgress = engine.on("progress", (p) => {
    if (Date.now() - last < 5000) return;
    last = Date.now();
    log.info(
      { layer: p.layer, layers: p.layers, percent: Math.round(p.fraction * 1000) / 10, eta: p.eta },
      `layer ${p.layer}/${p.layers}, ${(p.fraction * 100).toFixed(1)} %, ${Math.round(p.eta.remainingSeconds / 60)} ± ${Math.round(p.eta.plusMinusSeconds / 60)} min left`,
    );
  });
  const offLayer = engine.on("layer", (layer, z) => log.info({ layer, z }, "layer change"));
  void untilSignal().then(async (signal) => {
    log.warn({ signal }, "cancelling the print");
    await engine.cancel("cancelled from the command line").catch(() => {});
  });
  const outcome: JobOutcome = await finished;
  offProgress();
  offLayer();
  console.log(JSON.stringify(outcome));
  return outcome.result === "done" ? 0 : 1;
}
