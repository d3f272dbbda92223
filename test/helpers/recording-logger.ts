import pino from "pino";
import type { Logger } from "../../server/util/log.ts";

export interface LogRecord {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger whose records the test reads (30 info, 40 warn, 50 error). */
export function recordingLogger(): { log: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const log = pino(
    { level: "debug" },
    { write: (line: string) => records.push(JSON.parse(line) as LogRecord) },
  );
  return { log, records };
}
