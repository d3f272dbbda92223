import { createWriteStream, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { basename, join, resolve } from "node:path";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { Analysis } from "../server/jobs/analysis/analysis-types.ts";
import { analyzeGcodeFile } from "../server/jobs/analysis/analyze-file.ts";
import { analyzeInWorker, closeAnalysisWorker } from "../server/jobs/analysis/analyze-in-worker.ts";
import { run, scratchDir } from "./processes.ts";

/**
 * Issue 3's analysis figures: throughput on the largest fixture (decompressed first, so parsing is
 * measured, not gunzip) on the main thread and through `analyzeInWorker`; peak RSS while a fresh process
 * analyses a file of at least 100 MB (the fixtures concatenated); the estimate against the slicer's own.
 * MB = 10^6 bytes throughout.
 */

const FIXTURES = resolve(import.meta.dirname, "../../shared/fixtures/gcode");
const FILES = [
  "cube20_mk3s_0.20mm_prusaslicer-2.5.0.gcode",
  "vase-spiral_mk3s_0.20mm_prusaslicer-2.5.0.gcode.gz",
  "twisted-star_mk3s_0.15mm_prusaslicer-2.5.0.gcode.gz",
];
const LARGEST = "twisted-star_mk3s_0.15mm_prusaslicer-2.5.0.gcode.gz";
const RUNS = 7;
const BIG_FILE_BYTES = 100e6;
const RSS_SAMPLE_MS = 5;
const MB = 1e6;

type Mode = "main-thread" | "worker";

export interface Throughput {
  mode: Mode;
  /** The first run: code not yet optimised, and for the worker its thread start (tsx, module loading). */
  firstRunSeconds: number;
  /** Median of the `runs` after it (the worker thread kept between files, as the pool does). */
  seconds: number;
  mbPerSecond: number;
  linesPerSecond: number;
}

export interface MemoryRow {
  mode: Mode;
  rssBeforeMb: number;
  peakRssMb: number;
  extraMb: number;
  seconds: number;
  mbPerSecond: number;
}

export interface EstimateRow {
  file: string;
  slicerSeconds: number;
  estimatedSeconds: number;
  errorPercent: number;
  heatUpSeconds: number;
}

export interface AnalysisReport {
  node: string;
  cpu: string;
  file: { name: string; bytes: number; lines: number; runs: number };
  throughput: Throughput[];
  bigFile: { bytes: number; rows: MemoryRow[] };
  estimates: EstimateRow[];
}

function analyze(mode: Mode, path: string): Promise<Analysis> {
  return mode === "worker" ? analyzeInWorker(path) : analyzeGcodeFile(path);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

async function throughput(mode: Mode, path: string): Promise<Throughput> {
  await closeAnalysisWorker();
  const first = performance.now();
  await analyze(mode, path);
  const firstRunSeconds = (performance.now() - first) / 1000;
  const times: number[] = [];
  let last: Analysis | undefined;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    last = await analyze(mode, path);
    times.push((performance.now() - start) / 1000);
  }
  const seconds = median(times);
  const a = last as Analysis;
  return {
    mode,
    firstRunSeconds,
    seconds,
    mbPerSecond: a.bytes / MB / seconds,
    linesPerSecond: a.lines / seconds,
  };
}

/** The decompressed fixtures, repeated until the file holds at least BIG_FILE_BYTES. */
async function writeBigFile(path: string, plain: string[]): Promise<number> {
  const parts = plain.map((p) => readFileSync(p));
  const out = createWriteStream(path);
  let bytes = 0;
  async function* chunks(): AsyncGenerator<Buffer> {
    while (bytes < BIG_FILE_BYTES) {
      for (const part of parts) {
        bytes += part.length;
        yield part;
      }
    }
  }
  await pipeline(chunks(), out);
  return statSync(path).size;
}

/** Peak RSS in a fresh process: `node --expose-gc --import tsx bench/analysis.ts --rss-child MODE FILE`. */
async function memory(mode: Mode, path: string): Promise<MemoryRow> {
  const self = fileURLToPath(import.meta.url);
  const args = ["--expose-gc", "--import", "tsx", self, "--rss-child", mode, path];
  const result = await run(process.execPath, args);
  if (result.code !== 0) throw new Error(`rss child failed (${result.code}): ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").pop() ?? "{}") as MemoryRow;
}

/** VmHWM (peak resident set) of this process, bytes; Linux only, else 0. */
function highWaterMark(): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

async function rssChild(mode: Mode, path: string): Promise<void> {
  // Modules loaded and compiled, and the heap collected, before "before"; the worker's thread is started
  // inside the measurement (its isolate and tsx loader count), as for the first file after an idle spell.
  await analyze(mode, join(FIXTURES, FILES[0] as string));
  await closeAnalysisWorker();
  globalThis.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, RSS_SAMPLE_MS);
  const start = performance.now();
  const a = await analyze(mode, path);
  const seconds = (performance.now() - start) / 1000;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss(), highWaterMark());
  const row: MemoryRow = {
    mode,
    rssBeforeMb: before / MB,
    peakRssMb: peak / MB,
    extraMb: (peak - before) / MB,
    seconds,
    mbPerSecond: a.bytes / MB / seconds,
  };
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

export async function benchAnalysis(log: (line: string) => void): Promise<AnalysisReport> {
  const dir = scratchDir("bench-analysis");
  try {
    return await measure(dir, log);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await closeAnalysisWorker();
  }
}

async function measure(dir: string, log: (line: string) => void): Promise<AnalysisReport> {
  const plain = FILES.map((name) => {
    const source = join(FIXTURES, name);
    if (!name.endsWith(".gz")) return source;
    const target = join(dir, name.slice(0, -3));
    writeFileSync(target, gunzipSync(readFileSync(source)));
    return target;
  });
  const largest = plain[FILES.indexOf(LARGEST)] as string;
  const probe = await analyzeGcodeFile(largest);
  log(
    `${basename(largest)}: ${(probe.bytes / MB).toFixed(2)} MB, ${probe.lines} lines, median of ${RUNS} runs`,
  );
  const rows: Throughput[] = [];
  for (const mode of ["main-thread", "worker"] as const) {
    const row = await throughput(mode, largest);
    rows.push(row);
    log(
      `${mode.padEnd(12)} ${row.mbPerSecond.toFixed(1)} MB/s, ${Math.round(row.linesPerSecond).toLocaleString("en")} lines/s (${row.seconds.toFixed(3)} s; first run ${row.firstRunSeconds.toFixed(3)} s)`,
    );
  }

  const big = join(dir, "concatenated.gcode");
  const bigBytes = await writeBigFile(big, plain);
  log(`${(bigBytes / MB).toFixed(1)} MB file (the three fixtures, repeated), each mode in a fresh process:`);
  const memoryRows: MemoryRow[] = [];
  for (const mode of ["main-thread", "worker"] as const) {
    const row = await memory(mode, big);
    memoryRows.push(row);
    log(
      `${mode.padEnd(12)} RSS ${row.rssBeforeMb.toFixed(1)} MB before, ${row.peakRssMb.toFixed(1)} MB peak: +${row.extraMb.toFixed(1)} MB; ${row.mbPerSecond.toFixed(1)} MB/s`,
    );
  }

  const estimates: EstimateRow[] = [];
  for (const name of FILES) {
    const a = await analyzeGcodeFile(join(FIXTURES, name));
    const slicerSeconds = a.slicer.estimatedSeconds ?? Number.NaN;
    const errorPercent = ((a.estimatedSeconds - slicerSeconds) / slicerSeconds) * 100;
    estimates.push({
      file: name,
      slicerSeconds,
      estimatedSeconds: a.estimatedSeconds,
      errorPercent,
      heatUpSeconds: a.heatUpSeconds,
    });
    log(
      `${name}: estimate ${a.estimatedSeconds.toFixed(0)} s vs slicer ${slicerSeconds} s (${errorPercent >= 0 ? "+" : ""}${errorPercent.toFixed(2)} %)`,
    );
  }
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    file: { name: basename(largest), bytes: probe.bytes, lines: probe.lines, runs: RUNS },
    throughput: rows,
    bigFile: { bytes: bigBytes, rows: memoryRows },
    estimates,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === "--rss-child") {
  await rssChild(process.argv[3] as Mode, process.argv[4] as string);
}
