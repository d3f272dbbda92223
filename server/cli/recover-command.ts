import path from "node:path";
import { parseArgs } from "node:util";
import { RecoveryStore } from "../jobs/recovery/recovery-store.ts";
import { HostError } from "../util/errors.ts";
import { createRootLogger } from "../util/log.ts";
import { configFromOptions, DAEMON_OPTIONS, DAEMON_OPTIONS_HELP } from "./daemon-options.ts";
import { followPrint, withDaemon } from "./print-command.ts";

const HELP = `usage: layerwatch recover [--layer N | --discard] [options]

An interrupted print (the daemon was killed, the power failed, the link was lost) leaves a
recovery point in the data directory. Without --layer or --discard this prints it as JSON.

  --layer N     resume from the first line of layer N (1-based; at most the layer it stopped in):
                heat, set Z where the nozzle rests (no Z homing), home X/Y, prime, restore the
                file's modes, continue the file from that layer
  --discard     forget the interrupted print

${DAEMON_OPTIONS_HELP}`;

export async function runRecoverCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...DAEMON_OPTIONS, layer: { type: "string" }, discard: { type: "boolean" } },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const config = configFromOptions(values);
  const log = createRootLogger({ level: config.log.level, levels: config.log.levels });
  const store = new RecoveryStore({ file: path.join(path.resolve(config.dataDir), "recovery.json"), log });
  const point = await store.load();
  if (point === null) throw new HostError("NOT_FOUND", `no interrupted print in ${config.dataDir}`);
  if (values.discard) {
    await store.clear();
    console.log(JSON.stringify({ discarded: point.file }));
    return 0;
  }
  if (values.layer === undefined) {
    console.log(JSON.stringify(point));
    return 0;
  }
  if (!/^\d+$/.test(values.layer))
    throw new HostError("USAGE", `--layer takes a layer number, not '${values.layer}'`);
  const layer = Number(values.layer) - 1;
  return withDaemon(config, log, async ({ engine }) => {
    // The engine offers the same point, read from the same store at its start.
    await engine.resumeInterrupted(layer, "command line");
    return followPrint(engine, log);
  });
}
