import { rmSync, writeFileSync } from "node:fs";
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
 * render of one print overlaps the next; each frame set is counted and deleted.
 */

const VASE = resolve(
  import.meta.dirname,
  "../../shared/fixtures/gcode/vase-spiral_mk3s_0.20mm_prusaslicer-2.5.0.gcode.gz",
);
const COMMANDS = 20_000;
const WARM_UP = 2000;
const VIEWERS = 2;
const REPEATS = 3;
const TARGET = 0.95;
const LINK = "250000 baud, 1 ms each way";
const SIM_ARGS = ["--speed", "0", "--advanced-ok", "--host-actions", "--baud-pace", "250000", "--latency", "1"];
const CAPTURE = { mode: "layer", stabilize: false, minIntervalSeconds: 0 };
/** The hub keeps its upstream 2 s after the last viewer; wait this long at most for ffmpeg to end. */
const FFMPEG_GONE_MS = 10_000;

export interface CameraPrint {
  linesPerSecond: number;
  seconds: number;
  /** The daemon's CPU over the print, % of one core (every thread; its ffmpeg children not included). */
  cpuPercent: number;
  /** The daemon's ffmpeg children (the live stream), % of one core. */
  ffmpegCpuPercent: number;
  peakRssMb: number;
  /** Frames each viewer received per second of the print (multipart parts counted by their boundary). */
  viewerFps: number[];
  /** Frames in the print's time-lapse set; null for idle prints. */
  framesCaptured: number | null;
}

export interface CameraReport {
  link: string;
  engine: "worker";
  lines: number;
  /** Layer changes in those lines (the spiral vase: nearly one per two commands), each asking for a frame. */
  layerChanges: number;
  viewers: number;
  loadAverage: number;
  idle: CameraPrint[];
  capture: CameraPrint[];
  idleLinesPerSecond: number;
  captureLinesPerSecond: number;
  captureOfIdle: number;
  target: number;
  /** Connected, nothing printed, camera not streaming. */
  rssIdleMb: number;
  /** `pgrep -a ffmpeg` after the daemon stopped (machine-wide); empty when none is left. */
  ffmpegLeft: string[];
}

interface LiveViewer {
  frames(): number;
  /** Resolves at the first frame; rejects when the stream cannot be opened. */
  firstFrame: Promise<void>;
  close(): void;
}

/** One MJPEG viewer: counts the multipart boundaries it reads (one per frame). */
function watchStream(url: string, apiKey: string): LiveViewer {
  const marker = Buffer.from(`--${MJPEG_BOUNDARY}\r\n`, "latin1");
  let frames = 0;
  let first: () => void = () => {};
  let fail: (err: Error) => void = () => {};
  const firstFrame = new Promise<void>((ok, no) => {
    first = ok;
    fail = no;
  });
  const req = get(new URL(CAMERA_STREAM_PATH, url), { headers: { "x-api-key": apiKey } }, (res) => {
    if (res.statusCode !== 200) {
      fail(new Error(`${CAMERA_STREAM_PATH}: HTTP ${res.statusCode}`));
      res.resume();
      return;
    }
    // The bytes a boundary split across two chunks may have begun with.
    let tail = Buffer.alloc(0);
    res.on("data", (chunk: Buffer) => {
      const data = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
      for (let at = data.indexOf(marker); at !== -1; at = data.indexOf(marker, at + marker.length)) frames++;
      if (frames > 0) first();
      tail = data.subarray(Math.max(0, data.length - marker.length + 1));
    });
  });
  req.on("error", (err) => fail(err));
  return { frames: () => frames, firstFrame, close: () => req.destroy() };
}

/** PIDs of the ffmpeg processes that are children of `pid` (Linux /proc). */
function ffmpegChildren(pid: number): number[] {
  const found: number[] = [];
  try {
    for (const child of run.name === "" ? [] : childPids(pid)) {
      try {
        if (readComm(child) === "ffmpeg") found.push(child);
      } catch {
        // exited meanwhile
      }
    }
  } catch {
    // the daemon exited
  }
  return found;
}

function childPids(pid: number): number[] {
  const pids: number[] = [];
  for (const task of readdir(`/proc/${pid}/task`)) {
    const listed = readText(`/proc/${pid}/task/${task}/children`).trim();
    if (listed !== "") pids.push(...listed.split(" ").map(Number));
  }
  return pids;
}

import { readdirSync as readdir, readFileSync } from "node:fs";

const readText = (path: string): string => readFileSync(path, "utf8");
const readComm = (pid: number): string => readText(`/proc/${pid}/comm`).trim();
