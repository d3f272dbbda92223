import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readGcodeCommands } from "../server/gcode/gcode-file.ts";
import { scratchDir } from "./processes.ts";
import { startPushDaemon } from "./push-daemon.ts";
import { startPushSim } from "./push-sim.ts";

/**
 * Why the engine runs in a worker thread: the vase fixture streamed over a paced 250000-baud link
 * while the daemon's main thread is kept busy STALL_MS out of every EVERY_MS (synchronous work
 * standing for a large JSON answer, a camera frame or a burst of socket traffic), with the engine in a
 * worker thread and inline. Each print's rate is compared with an unstalled print of the same daemon.
 */

const VASE = resolve(
  import.meta.dirname,
  "../../shared/fixtures/gcode/vase-spiral_mk3s_0.20mm_prusaslicer-2.5.0.gcode.gz",
);
const COMMANDS = 15_000;
const STALL_MS = 50;
const EVERY_MS = 250;

export interface StallRow {
  engine: "worker" | "inline";
  freeLinesPerSecond: number;
  stalledLinesPerSecond: number;
  stalledOfFree: number;
}

export interface StallReport {
  stallMs: number;
  everyMs: number;
  lines: number;
  rows: StallRow[];
}

export async function benchStall(log: (line: string) => void): Promise<StallReport> {
  const { commands } = await readGcodeCommands(VASE);
  const dir = scratchDir("bench-stall");
  const file = join(dir, "vase-part.gcode");
  writeFileSync(file, `${commands.slice(0, COMMANDS).join("\n")}\n`);
  const rows: StallRow[] = [];
  for (const engine of ["worker", "inline"] as const) {
    const sim = await startPushSim([
      "--speed",
      "0",
      "--advanced-ok",
      "--baud-pace",
      "250000",
      "--latency",
      "1",
    ]);
    const daemon = await startPushDaemon({ engine, printer: sim.link, data: join(dir, engine), keys: 1 });
    try {
      const rate = async (): Promise<number> => {
        const { outcome, seconds } = await daemon.print(file);
        return outcome.lines / seconds;
      };
      await rate(); // warm-up
      const free = await rate();
      await daemon.stall(STALL_MS, EVERY_MS);
      const stalled = await rate();
      await daemon.stall(0, 0);
      const row = {
        engine,
        freeLinesPerSecond: Math.round(free),
        stalledLinesPerSecond: Math.round(stalled),
        stalledOfFree: stalled / free,
      };
      rows.push(row);
      log(
        `engine ${engine}, main thread busy ${STALL_MS} ms of every ${EVERY_MS} ms: ${row.freeLinesPerSecond} → ${row.stalledLinesPerSecond} lines/s (${(100 * row.stalledOfFree).toFixed(1)} %)`,
      );
    } finally {
      await daemon.stop();
      await sim.stop();
    }
  }
  return { stallMs: STALL_MS, everyMs: EVERY_MS, lines: COMMANDS, rows };
}
