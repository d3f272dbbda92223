import pino, { type DestinationStream, type Logger, type LoggerOptions } from "pino";

export type { Logger };

export interface LogOptions {
  /** pino level for every namespace unless overridden. */
  level?: string;
  /** Levels per namespace, e.g. `{ serial: "debug" }`. */
  levels?: Record<string, string>;
  /** Where to write; defaults to stderr so stdout stays free for command output. */
  destination?: DestinationStream;
}

/**
 * The root logger. Modules receive it through their deps and take a namespace with
 * `namespaced(root, "serial")`; nothing logs through a global.
 */
export function createRootLogger(options: LogOptions = {}): Logger {
  const config: LoggerOptions = { level: options.level ?? "info", base: undefined };
  const root = pino(config, options.destination ?? pino.destination(2));
  levelsByRoot.set(root, options.levels ?? {});
  return root;
}

const levelsByRoot = new WeakMap<Logger, Record<string, string>>();

export function namespaced(root: Logger, ns: string): Logger {
  const child = root.child({ ns });
  const level = levelsByRoot.get(root)?.[ns];
  if (level !== undefined) child.level = level;
  return child;
}

/** A logger that drops everything: for tests and benches that assert on behaviour, not logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
