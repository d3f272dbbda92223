import { writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { readGcodeCommands } from "../server/gcode/gcode-file.ts";
import { scratchDir } from "./processes.ts";
import { type PushDaemon, startPushDaemon } from "./push-daemon.ts";
import { type Latency, latencyOf } from "./push-latency.ts";
import { connectClients, type PollStats, procStats, startPolling } from "./push-load.ts";
import { startPushSim } from "./push-sim.ts";

/**
 * Issue 4's push figures. The daemon (bench/push-daemon.ts) runs in a process of its own against the
 * simulated printer (bench/push-sim.ts) over a pseudo-terminal; this process holds the 50 socket.io
 * clients and the HTTP polling. For each engine placement (worker thread, inline) and link:
 * - streaming rate of the vase fixture idle (no clients) and loaded (50 clients + each polling
 *   every 2 s), lines / seconds from the print's start to its end as the daemon sees them;
 * - the daemon's RSS idle, with the clients connected, and its peak while printing loaded; its CPU;
 * - push latency while streaming loaded (bench/push-latency.ts).
 * Idle and loaded prints alternate REPEATS times after a warm-up print.
 */

const VASE = resolve(
  import.meta.dirname,
  "../../shared/fixtures/gcode/vase-spiral_mk3s_0.20mm_prusaslicer-2.5.0.gcode.gz",
);
const CLIENTS = 50;
const POLL_MS = 2000;
const M600_EVERY = 400;
const M600_CYCLES = 40;
/** Idle and loaded prints alternate this many times (drift on a shared machine hits both alike). */
const REPEATS = 2;

interface Link {
  name: string;
  sim: string[];
  commands: number;
  latency: boolean;
}

const LINKS: Link[] = [
  {
    name: "250000 baud, 1 ms each way",
    sim: ["--baud-pace", "250000", "--latency", "1"],
    commands: 20_000,
    latency: true,
  },
  { name: "unpaced", sim: [], commands: 100_000, latency: true },
];

export interface PushRow {
  link: string;
  engine: "worker" | "inline";
  /** The machine's 1-minute load average when the row started (other work on the machine). */
  loadAverage: number;
  /** Each print's rate, alternating idle (no clients) and loaded (clients connected and polling). */
  idleRuns: number[];
  loadedRuns: number[];
  idleLinesPerSecond: number;
  loadedLinesPerSecond: number;
  loadedOfIdle: number;
  /** The daemon's CPU over the prints, % of one core (every thread). */
  idleCpuPercent: number;
  loadedCpuPercent: number;
  /** Over the loaded prints, the simulator's and this process's (clients, polling) CPU, % of one core. */
  simCpuPercent: number;
  clientsCpuPercent: number;
  /** Connected, nothing printed yet, no clients. */
  rssIdleMb: number;
  /** Peak while printing without clients. */
  rssPeakIdlePrintMb: number;
  /** Just before and 1 s after the clients first connected (not printing). */
  rssBeforeClientsMb: number;
  rssClientsMb: number;
  /** Peak while printing with the clients connected and polling. */
  rssPeakLoadedPrintMb: number;
  polling: PollStats & { paths: string[] };
  /** Push messages received by all clients together, per second of the loaded prints. */
  messagesPerSecond: number;
  latency: Latency | null;
}

export interface PushReport {
  clients: number;
  pollEveryMs: number;
  rows: PushRow[];
}

export async function benchPush(log: (line: string) => void): Promise<PushReport> {
  const { commands } = await readGcodeCommands(VASE);
  const dir = scratchDir("bench-push");
  const write = (name: string, lines: string[]): string => {
    const path = join(dir, name);
    writeFileSync(path, `${lines.join("\n")}\n`);
    return path;
  };
  const warm = write("warm.gcode", commands.slice(0, 2000));
  const latencyLines = commands
    .slice(0, M600_EVERY * M600_CYCLES)
    .flatMap((c, i) => ((i + 1) % M600_EVERY === 0 ? [c, "M600"] : [c]));
  const latencyFile = write("m600.gcode", latencyLines);
  const rows: PushRow[] = [];
  for (const link of LINKS) {
    const rate = write(`vase-${link.commands}.gcode`, commands.slice(0, link.commands));
    for (const engine of ["worker", "inline"] as const) {
      const row = await benchOne(link, engine, { warm, rate, latency: latencyFile }, dir);
      rows.push(row);
      log(describe(row));
    }
  }
  return { clients: CLIENTS, pollEveryMs: POLL_MS, rows };
}

function describe(row: PushRow): string {
  const mb = (n: number): string => n.toFixed(0);
  const ms = (n: number): string => n.toFixed(1);
  const l = row.latency;
  const latency =
    l === null
      ? ""
      : `; latency p50 ${ms(l.p50Ms)} p99 ${ms(l.p99Ms)} max ${ms(l.maxMs)} ms, first client p50 ${ms(l.firstP50Ms)} p99 ${ms(l.firstP99Ms)}, to the daemon p50 ${ms(l.daemonP50Ms)} p99 ${ms(l.daemonP99Ms)} (${l.events} changes, ${l.samples} receipts)`;
  return [
    `${row.link} / ${row.engine} (load ${row.loadAverage.toFixed(2)}): ${row.idleLinesPerSecond} → ${row.loadedLinesPerSecond} lines/s (${(100 * row.loadedOfIdle).toFixed(1)} %; runs ${row.idleRuns.map(Math.round).join(", ")} / ${row.loadedRuns.map(Math.round).join(", ")})`,
    `CPU ${row.idleCpuPercent.toFixed(0)} → ${row.loadedCpuPercent.toFixed(0)} % (sim ${row.simCpuPercent.toFixed(0)} %, clients ${row.clientsCpuPercent.toFixed(0)} %)`,
    `RSS idle ${mb(row.rssIdleMb)}, printing ${mb(row.rssPeakIdlePrintMb)}, clients ${mb(row.rssBeforeClientsMb)} → ${mb(row.rssClientsMb)}, printing with clients ${mb(row.rssPeakLoadedPrintMb)} MB`,
    `${row.messagesPerSecond.toFixed(0)} push messages/s; HTTP ${row.polling.requests} requests p50 ${ms(row.polling.p50Ms)} p99 ${ms(row.polling.p99Ms)} ms, ${row.polling.errors} errors${latency}`,
  ].join("; ");
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

async function benchOne(
  link: Link,
  engine: "worker" | "inline",
  files: { warm: string; rate: string; latency: string },
  dir: string,
): Promise<PushRow> {
  const loadAverage = loadavg()[0] ?? 0;
  const sim = await startPushSim(["--speed", "0", "--advanced-ok", "--host-actions", ...link.sim]);
  const data = join(dir, `data-${engine}-${link.commands}`);
  const daemon = await startPushDaemon({ engine, printer: sim.link, data, keys: CLIENTS });
  try {
    await sleep(2000);
    const rssIdleMb = procStats(daemon.pid).rssMb;
    await daemon.print(files.warm);
    const idle: Measured[] = [];
    const loaded: Measured[] = [];
    const rss = { before: 0, clients: 0 };
    const polls: PollStats[] = [];
    let messages = 0;
    const harness = { sim: 0, clients: 0 };
    let latency: Latency | null = null;
    let paths: string[] = [];
    for (let run = 0; run < REPEATS; run++) {
      idle.push(await measured(daemon, files.rate));
      if (run === 0) rss.before = procStats(daemon.pid).rssMb;
      const clients = await connectClients(daemon.url, daemon.keys);
      await sleep(1000);
      if (run === 0) rss.clients = procStats(daemon.pid).rssMb;
      paths = await pollPaths(daemon.url, daemon.keys[0] as string);
      const polling = startPolling(daemon.url, daemon.keys, paths, POLL_MS);
      const before = {
        messages: clients.messages(),
        sim: procStats(sim.pid).cpuSeconds,
        own: process.cpuUsage(),
      };
      loaded.push(await measured(daemon, files.rate));
      messages += clients.messages() - before.messages;
      harness.sim += procStats(sim.pid).cpuSeconds - before.sim;
      const own = process.cpuUsage(before.own);
      harness.clients += (own.user + own.system) / 1e6;
      if (run === REPEATS - 1 && link.latency) {
        const from = { sim: sim.stamps.length, daemon: daemon.resumedAt.length };
        for (const list of clients.resumedAt) list.length = 0;
        await daemon.print(files.latency);
        const causes = sim.stamps.slice(from.sim);
        latency = latencyOf(causes, daemon.resumedAt.slice(from.daemon), clients.resumedAt);
      }
      polls.push(await polling.stop());
      clients.close();
    }
    const idleRate = mean(idle.map((m) => m.linesPerSecond));
    const loadedRate = mean(loaded.map((m) => m.linesPerSecond));
    const loadedSeconds = loaded.reduce((sum, m) => sum + m.seconds, 0);
    return {
      link: link.name,
      engine,
      loadAverage,
      idleRuns: idle.map((m) => m.linesPerSecond),
      loadedRuns: loaded.map((m) => m.linesPerSecond),
      idleLinesPerSecond: Math.round(idleRate),
      loadedLinesPerSecond: Math.round(loadedRate),
      loadedOfIdle: loadedRate / idleRate,
      idleCpuPercent: mean(idle.map((m) => m.cpuPercent)),
      loadedCpuPercent: mean(loaded.map((m) => m.cpuPercent)),
      simCpuPercent: (100 * harness.sim) / loadedSeconds,
      clientsCpuPercent: (100 * harness.clients) / loadedSeconds,
      rssIdleMb,
      rssPeakIdlePrintMb: Math.max(...idle.map((m) => m.peakRssMb)),
      rssBeforeClientsMb: rss.before,
      rssClientsMb: rss.clients,
      rssPeakLoadedPrintMb: Math.max(...loaded.map((m) => m.peakRssMb)),
      polling: { ...mergePolls(polls), paths },
      messagesPerSecond: messages / loadedSeconds,
      latency,
    };
  } finally {
    await daemon.stop();
    await sim.stop();
  }
}

/** The polling of several runs as one: counts added, percentiles of the runs' averaged (close enough for a report). */
function mergePolls(polls: PollStats[]): PollStats {
  return {
    requests: polls.reduce((sum, p) => sum + p.requests, 0),
    errors: polls.reduce((sum, p) => sum + p.errors, 0),
    p50Ms: mean(polls.map((p) => p.p50Ms)),
    p99Ms: Math.max(...polls.map((p) => p.p99Ms)),
  };
}

/** The own API's printer and job routes when they exist, else the session route (any signed-in user). */
async function pollPaths(url: string, apiKey: string): Promise<string[]> {
  const found: string[] = [];
  for (const path of ["/api/v1/printer", "/api/v1/job"]) {
    const res = await fetch(new URL(path, url), { headers: { "x-api-key": apiKey } });
    await res.arrayBuffer();
    if (res.status === 200) found.push(path);
  }
  return found.length > 0 ? found : ["/api/v1/auth/session"];
}

interface Measured {
  linesPerSecond: number;
  seconds: number;
  cpuPercent: number;
  peakRssMb: number;
}

/** One print, with the daemon's CPU over it and its RSS sampled every 200 ms. */
async function measured(daemon: PushDaemon, file: string): Promise<Measured> {
  const before = procStats(daemon.pid);
  let peakRssMb = before.rssMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, procStats(daemon.pid).rssMb);
  }, 200);
  try {
    const { outcome, seconds } = await daemon.print(file);
    const cpuSeconds = procStats(daemon.pid).cpuSeconds - before.cpuSeconds;
    return {
      linesPerSecond: outcome.lines / seconds,
      seconds,
      cpuPercent: (100 * cpuSeconds) / seconds,
      peakRssMb,
    };
  } finally {
    clearInterval(sampler);
  }
}
