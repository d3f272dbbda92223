import { HostError, isHostError } from "../util/errors.ts";

type Command = (argv: string[]) => Promise<number>;

const USAGE = `usage: layerwatch <command> [options]

commands:
  serve     run the daemon (default printer: the built-in simulator)
  print     store a G-code file and print it (history, recovery point, progress)
  recover   show, resume (from a layer) or discard an interrupted print
  stream    stream a G-code file to a printer and report the rate
  analyze   analyse a G-code file: layers, filament, bounding box, estimated time
  sim       run the simulated printer on a new pseudo-terminal
  user      add, list, remove users and change passwords (access control)
  apikey    create, list, revoke API keys
  ports     list serial ports
  bench     run the benchmarks`;

/** Subcommands load lazily so `layerwatch sim` never pulls in the daemon's modules. */
const commands: Record<string, () => Promise<Command>> = {
  serve: async () => (await import("./serve-command.ts")).runServeCommand,
  print: async () => (await import("./print-command.ts")).runPrintCommand,
  recover: async () => (await import("./recover-command.ts")).runRecoverCommand,
  stream: async () => (await import("./stream-command.ts")).runStreamCommand,
  analyze: async () => (await import("./analyze-command.ts")).runAnalyzeCommand,
  sim: async () => (await import("./sim-command.ts")).runSimCommand,
  "__sim-pty-child": async () => (await import("./sim-command.ts")).runSimPtyChild,
  user: async () => (await import("./user-command.ts")).runUserCommand,
  apikey: async () => (await import("./apikey-command.ts")).runApikeyCommand,
  ports: async () => (await import("./ports-command.ts")).runPortsCommand,
  bench: async () => (await import("../../bench/run.ts")).runBench,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(USAGE);
    return name === undefined ? 2 : 0;
  }
  const load = commands[name];
  if (load === undefined) {
    console.error(`layerwatch: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await (await load())(rest);
  } catch (err) {
    if (isHostError(err)) {
      console.error(`layerwatch ${name}: ${err.message} [${err.code}]`);
      return err.code === "USAGE" ? 2 : 1;
    }
    throw err;
  }
}

export { HostError };
