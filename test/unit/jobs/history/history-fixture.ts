import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HistoryDb, type HistoryDbDeps } from "../../../../server/jobs/history/history-db.ts";
import { createRootLogger } from "../../../../server/util/log.ts";

/** 2025-01-01T00:00:00Z */
export const T0 = Date.UTC(2025, 0, 1);
export const SECOND = 1000;
export const DAY = 86_400_000;

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A temp folder, a hand-driven clock and the log lines of every HistoryDb made through it. */
export class HistoryFixture {
  now = T0;
  readonly logs: LogLine[] = [];
  readonly #made: HistoryDb[] = [];

  constructor(readonly dir: string) {}

  get path(): string {
    return join(this.dir, "data", "layerwatch.db");
  }

  readonly clock = (): number => this.now;

  /** A HistoryDb on `path` with the fixture's clock and logs; opened unless `open` is false. */
  history(deps: Partial<HistoryDbDeps> = {}, open = true): HistoryDb {
    const log = createRootLogger({
      level: "debug",
      destination: { write: (line: string) => this.logs.push(JSON.parse(line) as LogLine) },
    });
    const history = new HistoryDb({ path: this.path, log, clock: this.clock, ...deps });
    this.#made.push(history);
    if (open) history.open();
    return history;
  }

  logged(msg: string): LogLine[] {
    return this.logs.filter((line) => line.msg === msg);
  }

  async cleanup(): Promise<void> {
    for (const history of this.#made) history.close();
    await rm(this.dir, { recursive: true, force: true });
  }
}

export async function historyFixture(): Promise<HistoryFixture> {
  return new HistoryFixture(await mkdtemp(join(tmpdir(), "layerwatch-history-")));
}

export const job = {
  file: "cube.gcode",
  fileHash: "sha256:00ff",
  user: "ada",
  layers: 100,
  estimatedSeconds: 3600,
};
