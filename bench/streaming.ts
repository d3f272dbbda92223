import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { readGcodeCommands } from "../server/gcode/gcode-file.ts";
import { formatLine } from "../server/gcode/line.ts";
import { startSimProcess } from "../server/sim/sim-process.ts";
import { run, scratchDir } from "./processes.ts";

/**
 * Issue 2's streaming figures: the first 20,000 commands of the vase fixture streamed over a
 * pseudo-terminal to the simulator (zero motion time), ping-pong and window, in three link settings.
 */

const VASE = resolve(
  import.meta.dirname,
  "../../shared/fixtures/gcode/vase-spiral_mk3s_0.20mm_prusaslicer-2.5.0.gcode.gz",
);
const COMMANDS = 20_000;
const PRINTCORE = "/usr/lib/python3/dist-packages/printrun/printcore.py";

interface LinkSetting {
  name: string;
  baud: number | null;
  latencyMs: number;
}

const LINKS: LinkSetting[] = [
  { name: "unpaced", baud: null, latencyMs: 0 },
  { name: "250000 baud, 1 ms each way", baud: 250_000, latencyMs: 1 },
  { name: "115200 baud, 1 ms each way", baud: 115_200, latencyMs: 1 },
];

export interface StreamRow {
  link: string;
  mode: "ping-pong" | "window";
  linesPerSecond: number;
  ceiling: number | null;
  fractionOfCeiling: number | null;
  cpuSecondsPer10k: number;
  peakRssMb: number;
  resends: number;
  timeouts: number;
}

export interface StreamingReport {
  commands: number;
  meanWireBytes: number;
  rows: StreamRow[];
  printcore: { linesPerSecond: number } | null;
}

export async function benchStreaming(log: (line: string) => void): Promise<StreamingReport> {
  const file = await readGcodeCommands(VASE);
  const commands = file.commands.slice(0, COMMANDS);
  const dir = scratchDir("bench-stream");
  const path = join(dir, "vase-20000.gcode");
  writeFileSync(path, `${commands.join("\n")}\n`);
  // The host numbers job lines after its handshake (M110 N0, M115, …): a few dozen off, no matter.
  const meanWireBytes =
    commands.reduce((sum, c, i) => sum + formatLine(i + 3, c).length, 0) / commands.length;
  log(
    `vase fixture, first ${commands.length} commands, mean ${meanWireBytes.toFixed(1)} bytes per line on the wire`,
  );

  const rows: StreamRow[] = [];
  for (const link of LINKS) {
    for (const mode of ["ping-pong", "window"] as const) {
      const row = await streamOnce(path, link, mode, meanWireBytes);
      rows.push(row);
      const ceiling =
        row.ceiling === null
          ? ""
          : ` of ${Math.round(row.ceiling)} ceiling (${(100 * (row.fractionOfCeiling ?? 0)).toFixed(1)} %)`;
      log(
        `${link.name.padEnd(28)} ${mode.padEnd(9)} ${String(row.linesPerSecond).padStart(6)} lines/s${ceiling}; CPU ${row.cpuSecondsPer10k.toFixed(2)} s/10k lines; peak RSS ${row.peakRssMb.toFixed(0)} MB`,
      );
    }
  }
  const printcore = existsSync(PRINTCORE) ? await printcoreRate(path) : null;
  if (printcore === null) log("printcore: not installed (Debian package printcore); skipped");
  else log(`printcore (Printrun), unpaced ping-pong: ${printcore.linesPerSecond} lines/s`);
  return { commands: commands.length, meanWireBytes, rows, printcore };
}

async function streamOnce(
  path: string,
  link: LinkSetting,
  mode: "ping-pong" | "window",
  meanWireBytes: number,
): Promise<StreamRow> {
  const simArgs = ["--speed", "0"];
  if (link.baud !== null) simArgs.push("--baud-pace", String(link.baud), "--latency", String(link.latencyMs));
  if (mode === "window") simArgs.push("--advanced-ok");
  const sim = await startSimProcess(simArgs, { record: false });
  try {
    const window = mode === "window" ? "auto" : "1";
    const result = await run(process.execPath, [
      "--import",
      "tsx",
      resolve(import.meta.dirname, "measured-stream.ts"),
      "--port",
      sim.link,
      "--window",
      window,
      path,
    ]);
    if (result.code !== 0) throw new Error(`stream failed (${result.code}): ${result.stderr}`);
    const summary = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as {
      lines: number;
      seconds: number;
      resends: number;
      timeouts: number;
    };
    const usageLine = result.stderr.split("\n").find((l) => l.startsWith("usage ")) ?? "usage {}";
    const usage = JSON.parse(usageLine.slice(6)) as { cpuSeconds: number; maxRssMb: number };
    const linesPerSecond = Math.round(summary.lines / summary.seconds);
    const ceiling = link.baud === null ? null : linkCeiling(link, mode, meanWireBytes);
    return {
      link: link.name,
      mode,
      linesPerSecond,
      ceiling,
      fractionOfCeiling: ceiling === null ? null : linesPerSecond / ceiling,
      cpuSecondsPer10k: (usage.cpuSeconds / summary.lines) * 10_000,
      peakRssMb: usage.maxRssMb,
      resends: summary.resends,
      timeouts: summary.timeouts,
    };
  } finally {
    await sim.stop();
  }
}

/**
 * Window: the link's bytes per second over the mean bytes per line on the wire.
 * Ping-pong: one line per (line transmit time + `ok\n` transmit time + two one-way latencies).
 */
export function linkCeiling(link: LinkSetting, mode: "ping-pong" | "window", meanWireBytes: number): number {
  const bytesPerSecond = (link.baud ?? 0) / 10;
  if (mode === "window") return bytesPerSecond / meanWireBytes;
  const seconds = meanWireBytes / bytesPerSecond + 3 / bytesPerSecond + (2 * link.latencyMs) / 1000;
  return 1 / seconds;
}

async function printcoreRate(path: string): Promise<{ linesPerSecond: number }> {
  const sim = await startSimProcess(["--speed", "0"], { record: false });
  try {
    const result = await run("/usr/bin/python3", [
      resolve(import.meta.dirname, "printcore-timed.py"),
      sim.link,
      "250000",
      path,
    ]);
    if (result.code !== 0) throw new Error(`printcore failed (${result.code}): ${result.stderr}`);
    const summary = JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as { linesPerSecond: number };
    return { linesPerSecond: summary.linesPerSecond };
  } finally {
    await sim.stop();
  }
}
