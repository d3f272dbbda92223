import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { TimelapsesResponse } from "../server/api/contract.ts";
import { CAMERA_STREAM_PATH } from "../server/api/routes/camera-routes.ts";
import { MJPEG_BOUNDARY } from "../server/camera/live/multipart.ts";
import { withAuthStore } from "../server/cli/auth-cli.ts";
import { readGcodeCommands } from "../server/gcode/gcode-file.ts";
import { analyzeGcodeFile } from "../server/jobs/analysis/analyze-file.ts";
import { run, scratchDir } from "./processes.ts";
import { type PushDaemon, startPushDaemon } from "./push-daemon.ts";
import { procStats } from "./push-load.ts";
import { startPushSim } from "./push-sim.ts";

/**
 * The camera's cost to the print stream (issue acceptance: the vase fixture's streaming rate while a
 * time-lapse captures with two live viewers, ≥ 95 % of the idle rate). The push bench's set-up: the
 * daemon (bench/push-daemon.ts, engine in its worker thread) in its own process, the simulator
 * (bench/push-sim.ts) over a pty paced at 250000 baud with 1 ms each way. After a warm-up print,
 * REPEATS times: an idle print (camera untouched, time-lapse off, no viewers), then a capture print
 * (time-lapse in layer mode, unstabilized, no minimum interval; two MJPEG viewers on the live stream
 * from before the print starts until its frames are stored). Renders are off (`renderOn: []`) so no
 * render of one print overlaps the next; each frame set is counted, then deleted.
 */

const VASE = resolve(
  import.meta.dirname,
  "../../shared/fixtures/gcode/vase-spiral_mk3s_0.20mm_prusaslicer-2.5.0.gcode.gz",
);
const COMMANDS = 20_000;
const WARM_UP = 2000;
const VIEWERS = 2;
/** Idle and capture prints alternate this many times (drift on a shared machine hits both alike). */
const REPEATS = 3;
const TARGET = 0.95;
const LINK = "250000 baud, 1 ms each way";
const SIM_ARGS = [
  "--speed",
  "0",
  "--advanced-ok",
  "--host-actions",
  "--baud-pace",
  "250000",
  "--latency",
  "1",
];
const CAPTURE = { mode: "layer", stabilize: false, minIntervalSeconds: 0 };
/** The hub keeps its upstream 2 s after the last viewer leaves; ffmpeg must be gone before an idle print. */
const FFMPEG_GONE_MS = 10_000;
const SET_STORED_MS = 30_000;

export interface CameraPrint {
  linesPerSecond: number;
  seconds: number;
  /** The daemon's CPU over the print, % of one core (all its threads; not its ffmpeg children). */
  cpuPercent: number;
  /** The daemon's ffmpeg children (the camera's live upstream), % of one core. */
  ffmpegCpuPercent: number;
  peakRssMb: number;
  /** Frames each viewer received per second of the print (multipart parts, counted by their boundary). */
  viewerFps: number[];
  /** Frames stored in the print's time-lapse set, and their size on disk (MB = 10^6 bytes); null when idle. */
  framesCaptured: number | null;
  framesMb: number | null;
}

export interface CameraReport {
  link: string;
  engine: "worker";
  lines: number;
  /** Layer changes in those lines (the spiral vase: about one per two commands); each asks for a frame. */
  layerChanges: number;
  viewers: number;
  /** The machine's 1-minute load average at the start. */
  loadAverage: number;
  idle: CameraPrint[];
  capture: CameraPrint[];
  idleLinesPerSecond: number;
  captureLinesPerSecond: number;
  captureOfIdle: number;
  target: number;
  /** Daemon connected, nothing printed, camera not streaming. */
  rssIdleMb: number;
  /** `pgrep -a ffmpeg` once everything stopped (machine-wide); empty when none is left. */
  ffmpegLeft: string[];
}

interface LiveViewer {
  frames(): number;
  /** Resolves at the first frame; rejects when the stream cannot be opened. */
  firstFrame: Promise<void>;
  close(): void;
}

/** One live viewer of the MJPEG stream, counting the parts' boundaries as they arrive. */
function watchStream(url: string, apiKey: string): LiveViewer {
  const marker = Buffer.from(`--${MJPEG_BOUNDARY}\r\n`, "latin1");
  let frames = 0;
  let gotFirst: () => void = () => {};
  let failed: (err: Error) => void = () => {};
  const firstFrame = new Promise<void>((ok, fail) => {
    gotFirst = ok;
    failed = fail;
  });
  const req = get(new URL(CAMERA_STREAM_PATH, url), { headers: { "x-api-key": apiKey } }, (res) => {
    if (res.statusCode !== 200) {
      failed(new Error(`${CAMERA_STREAM_PATH}: HTTP ${res.statusCode}`));
      res.resume();
      return;
    }
    // The last bytes of the previous chunk, where a boundary split between chunks begins.
    let tail: Buffer = Buffer.alloc(0);
    res.on("data", (chunk: Buffer) => {
      const data = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
      for (let at = data.indexOf(marker); at !== -1; at = data.indexOf(marker, at + marker.length)) frames++;
      if (frames > 0) gotFirst();
      tail = data.subarray(Math.max(0, data.length - marker.length + 1));
    });
  });
  req.on("error", failed);
  return { frames: () => frames, firstFrame, close: () => req.destroy() };
}

/** The ffmpeg processes among `pid`'s children (Linux /proc). */
function ffmpegChildren(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const listed = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      for (const child of listed === "" ? [] : listed.split(" ").map(Number)) {
        if (readFileSync(`/proc/${child}/comm`, "utf8").trim() === "ffmpeg") found.push(child);
      }
    }
  } catch {
    // a process exited between listing and reading
  }
  return found;
}

function ffmpegCpu(pid: number): Map<number, number> {
  const cpu = new Map<number, number>();
  for (const child of ffmpegChildren(pid)) {
    try {
      cpu.set(child, procStats(child).cpuSeconds);
    } catch {
      // exited meanwhile
    }
  }
  return cpu;
}

async function untilNoFfmpeg(pid: number): Promise<void> {
  const until = performance.now() + FFMPEG_GONE_MS;
  while (ffmpegChildren(pid).length > 0) {
    if (performance.now() > until) throw new Error(`the camera's ffmpeg still runs ${FFMPEG_GONE_MS} ms on`);
    await sleep(200);
  }
}

/** The daemon's HTTP API as an operator (time-lapse settings, frame sets). */
function operatorApi(url: string, apiKey: string) {
  return async <T>(method: string, path: string, body?: unknown): Promise<T | null> => {
    const res = await fetch(new URL(path, url), {
      method,
      headers: { "x-api-key": apiKey, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
    return text === "" ? null : (JSON.parse(text) as T);
  };
}

/** One print with the daemon's CPU and peak RSS, its ffmpeg's CPU and the viewers' frame rates. */
async function timedPrint(daemon: PushDaemon, file: string, viewers: LiveViewer[]): Promise<CameraPrint> {
  const daemonBefore = procStats(daemon.pid);
  const ffmpegBefore = ffmpegCpu(daemon.pid);
  const framesBefore = viewers.map((v) => v.frames());
  let peakRssMb = daemonBefore.rssMb;
  const sampler = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, procStats(daemon.pid).rssMb);
  }, 200);
  const started = performance.now();
  try {
    const { outcome, seconds } = await daemon.print(file);
    const wall = (performance.now() - started) / 1000;
    const daemonCpu = procStats(daemon.pid).cpuSeconds - daemonBefore.cpuSeconds;
    let ffmpegSeconds = 0;
    for (const [child, cpu] of ffmpegCpu(daemon.pid)) ffmpegSeconds += cpu - (ffmpegBefore.get(child) ?? 0);
    return {
      linesPerSecond: outcome.lines / seconds,
      seconds,
      cpuPercent: (100 * daemonCpu) / seconds,
      ffmpegCpuPercent: (100 * ffmpegSeconds) / seconds,
      peakRssMb,
      viewerFps: viewers.map((v, i) => (v.frames() - (framesBefore[i] ?? 0)) / wall),
      framesCaptured: null,
      framesMb: null,
    };
  } finally {
    clearInterval(sampler);
  }
}

const mean = (values: number[]): number => values.reduce((a, b) => a + b, 0) / values.length;

function describe(kind: string, p: CameraPrint): string {
  const fps =
    p.viewerFps.length === 0 ? "" : `, viewers ${p.viewerFps.map((f) => f.toFixed(1)).join(" / ")} fps`;
  const frames =
    p.framesCaptured === null ? "" : `, ${p.framesCaptured} frames captured (${p.framesMb?.toFixed(0)} MB)`;
  return `${kind} print: ${p.linesPerSecond.toFixed(0)} lines/s in ${p.seconds.toFixed(1)} s${frames}${fps}; daemon CPU ${p.cpuPercent.toFixed(0)} %, ffmpeg ${p.ffmpegCpuPercent.toFixed(0)} %, peak RSS ${p.peakRssMb.toFixed(0)} MB`;
}

export async function benchCamera(log: (line: string) => void): Promise<CameraReport> {
  const { commands } = await readGcodeCommands(VASE);
  const dir = scratchDir("bench-camera");
  try {
    const write = (name: string, lines: string[]): string => {
      const path = join(dir, name);
      writeFileSync(path, `${lines.join("\n")}\n`);
      return path;
    };
    const warm = write("warm.gcode", commands.slice(0, WARM_UP));
    const rate = write(`vase-${COMMANDS}.gcode`, commands.slice(0, COMMANDS));
    const layerChanges = Math.max(0, (await analyzeGcodeFile(rate)).layerIndex.length - 1);
    const report = await benchPrints(log, { warm, rate }, join(dir, "data"), layerChanges);
    report.ffmpegLeft = await ffmpegLeft();
    log(
      report.ffmpegLeft.length === 0
        ? "no ffmpeg left running"
        : `ffmpeg still running (machine-wide): ${report.ffmpegLeft.join("; ")}`,
    );
    return report;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ffmpegLeft(): Promise<string[]> {
  await sleep(500);
  const { stdout } = await run("pgrep", ["-a", "ffmpeg"]);
  return stdout.split("\n").filter((line) => line.trim() !== "");
}

async function benchPrints(
  log: (line: string) => void,
  files: { warm: string; rate: string },
  data: string,
  layerChanges: number,
): Promise<CameraReport> {
  const loadAverage = loadavg()[0] ?? 0;
  const sim = await startPushSim(SIM_ARGS);
  const daemon = await startPushDaemon({ engine: "worker", printer: sim.link, data, keys: VIEWERS });
  const viewers: LiveViewer[] = [];
  try {
    const operatorKey = await withAuthStore(data, async (store) => {
      const user = await store.createUser({
        name: "bench-op",
        role: "operator",
        password: "bench password 1",
      });
      return store.createApiKey(user.id, "bench-operator").key;
    });
    const api = operatorApi(daemon.url, operatorKey);
    await api("PATCH", "/api/v1/timelapse/settings", { mode: "off", renderOn: [] });
    await sleep(2000);
    const rssIdleMb = procStats(daemon.pid).rssMb;
    await daemon.print(files.warm);
    const idle: CameraPrint[] = [];
    const capture: CameraPrint[] = [];
    for (let round = 0; round < REPEATS; round++) {
      await untilNoFfmpeg(daemon.pid);
      idle.push(await timedPrint(daemon, files.rate, []));
      log(describe("idle", idle.at(-1) as CameraPrint));

      for (const key of daemon.keys) viewers.push(watchStream(daemon.url, key));
      await Promise.all(viewers.map((v) => v.firstFrame));
      await api("PATCH", "/api/v1/timelapse/settings", CAPTURE);
      const print = await timedPrint(daemon, files.rate, viewers);
      Object.assign(print, await storedFrames(api, join(data, "timelapse", "frames")));
      capture.push(print);
      log(describe("capture", print));
      await api("PATCH", "/api/v1/timelapse/settings", { mode: "off" });
      for (const viewer of viewers.splice(0)) viewer.close();
    }
    await untilNoFfmpeg(daemon.pid);
    const idleRate = mean(idle.map((p) => p.linesPerSecond));
    const captureRate = mean(capture.map((p) => p.linesPerSecond));
    const report: CameraReport = {
      link: LINK,
      engine: "worker",
      lines: COMMANDS,
      layerChanges,
      viewers: VIEWERS,
      loadAverage,
      idle,
      capture,
      idleLinesPerSecond: Math.round(idleRate),
      captureLinesPerSecond: Math.round(captureRate),
      captureOfIdle: captureRate / idleRate,
      target: TARGET,
      rssIdleMb,
      ffmpegLeft: [],
    };
    log(summary(report));
    return report;
  } finally {
    for (const viewer of viewers) viewer.close();
    await daemon.stop();
    await sim.stop();
  }
}

/** Waits for the print's frame set to be stored (final frame taken), measures it and deletes it. */
async function storedFrames(
  api: ReturnType<typeof operatorApi>,
  framesDir: string,
): Promise<{ framesCaptured: number; framesMb: number }> {
  const until = performance.now() + SET_STORED_MS;
  for (;;) {
    const state = await api<TimelapsesResponse>("GET", "/api/v1/timelapses");
    const set = state?.unrendered[0];
    if (state !== null && state.recording === null && set !== undefined) {
      const setDir = join(framesDir, set.id);
      let bytes = 0;
      for (const name of readdirSync(setDir)) bytes += statSync(join(setDir, name)).size;
      await api("DELETE", `/api/v1/timelapses/unrendered/${encodeURIComponent(set.id)}`);
      return { framesCaptured: set.frames, framesMb: bytes / 1e6 };
    }
    if (performance.now() > until) throw new Error("the time-lapse's frames were not stored");
    await sleep(200);
  }
}

function summary(r: CameraReport): string {
  const runs = (prints: CameraPrint[]): string => prints.map((p) => p.linesPerSecond.toFixed(0)).join(", ");
  const fps = r.capture.flatMap((p) => p.viewerFps);
  const frames = r.capture.map((p) => p.framesCaptured ?? 0);
  const cpu = (prints: CameraPrint[]): string => mean(prints.map((p) => p.cpuPercent)).toFixed(0);
  const rss = (prints: CameraPrint[]): string => Math.max(...prints.map((p) => p.peakRssMb)).toFixed(0);
  const met = r.captureOfIdle >= r.target ? "met" : "NOT met";
  return [
    `${LINK} / worker (load ${r.loadAverage.toFixed(2)}), ${r.lines} lines, ${r.layerChanges} layer changes: idle ${r.idleLinesPerSecond} → capturing with ${r.viewers} viewers ${r.captureLinesPerSecond} lines/s (${(100 * r.captureOfIdle).toFixed(1)} %, target ≥ ${100 * r.target} % ${met}; runs ${runs(r.idle)} / ${runs(r.capture)})`,
    `frames captured ${frames.join(", ")}; viewers ${Math.min(...fps).toFixed(1)}–${Math.max(...fps).toFixed(1)} fps`,
    `daemon CPU ${cpu(r.idle)} → ${cpu(r.capture)} % (+ ffmpeg ${mean(r.capture.map((p) => p.ffmpegCpuPercent)).toFixed(0)} %)`,
    `RSS idle ${r.rssIdleMb.toFixed(0)}, printing ${rss(r.idle)} / capturing ${rss(r.capture)} MB`,
  ].join("; ");
}
