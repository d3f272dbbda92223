import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { ffmpegBinaries } from "../server/camera/ffmpeg-binaries.ts";
import { chooseEncoder } from "../server/camera/render/encoder-choice.ts";
import { defaultThreads, type EncoderPreference } from "../server/camera/render/render-args.ts";
import { renderTimelapse } from "../server/camera/render/render-timelapse.ts";
import { silentLogger } from "../server/util/log.ts";
import { run, scratchDir } from "./processes.ts";

/**
 * Time-lapse render figures. performance-limits §5: a layer-mode time-lapse of a 50 mm part at 0.2 mm is
 * 250 frames (10 s at 25 fps). For 1280×720 and 1920×1080, 250 JPEG frames (ffmpeg's testsrc2 pattern,
 * quality 5) are written once, then rendered by `renderTimelapse` with the encoder it chooses at the
 * daemon's default threads, and, for reference, by libx264 with x264's own thread count (`-threads 0`,
 * 1.5 per core). Peak RSS is ffmpeg's VmHWM, sampled from /proc while it runs. MB = 10^6 bytes.
 */

const FRAMES = 250;
const FPS = 25;
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;
const RSS_SAMPLE_MS = 50;
const MB = 1e6;

export interface RenderRow {
  size: string;
  role: "chosen" | "reference";
  encoder: string;
  /** 0: x264 decides. */
  threads: number;
  frames: number;
  seconds: number;
  framesPerSecond: number;
  bytes: number;
  /** Null where /proc is not available. */
  peakRssMb: number | null;
}

export interface RenderReport {
  node: string;
  cpu: string;
  cores: number;
  ffmpeg: { path: string; origin: string; version: string };
  framesPerRender: number;
  rows: RenderRow[];
}

async function writeFrames(dir: string, width: number, height: number): Promise<void> {
  const args = ["-hide_banner", "-nostdin", "-v", "error", "-f", "lavfi", "-i"];
  args.push(`testsrc2=size=${width}x${height}:rate=${FPS}`, "-frames:v", String(FRAMES), "-q:v", "5");
  const result = await run(ffmpegBinaries().ffmpeg, [...args, join(dir, "frame-%06d.jpg")]);
  if (result.code !== 0) throw new Error(`generating frames failed (${result.code}): ${result.stderr}`);
}

/** The highest VmHWM of any ffmpeg child of this process, sampled until `stop()`; bytes, or null. */
function watchFfmpegRss(): { stop: () => number | null } {
  let peak: number | null = null;
  const sample = (): void => {
    try {
      for (const task of readdirSync("/proc/self/task")) {
        const children = readFileSync(`/proc/self/task/${task}/children`, "utf8").trim();
        for (const pid of children === "" ? [] : children.split(" ")) {
          const status = readFileSync(`/proc/${pid}/status`, "utf8");
          const match = /^Name:\s+ffmpeg$/m.test(status) ? /VmHWM:\s+(\d+) kB/.exec(status) : null;
          if (match) peak = Math.max(peak ?? 0, Number(match[1]) * 1024);
        }
      }
    } catch {
      // no /proc, or the child exited between listing and reading
    }
  };
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}

async function renderRow(
  frames: string,
  out: string,
  size: string,
  role: RenderRow["role"],
  encoder: EncoderPreference,
  threads: number,
): Promise<RenderRow> {
  const rss = watchFfmpegRss();
  const result = await renderTimelapse(
    frames,
    { output: out, fps: FPS, encoder, threads },
    { log: silentLogger() },
  );
  const peak = rss.stop();
  return {
    size,
    role,
    encoder: result.encoder,
    threads,
    frames: result.frames,
    seconds: result.seconds,
    framesPerSecond: result.frames / result.seconds,
    bytes: result.bytes,
    peakRssMb: peak === null ? null : peak / MB,
  };
}

function line(row: RenderRow): string {
  const threads =
    row.threads === 0 ? "x264's threads" : `${row.threads} thread${row.threads === 1 ? "" : "s"}`;
  const rss = row.peakRssMb === null ? "peak RSS n/a" : `peak RSS ${row.peakRssMb.toFixed(0)} MB`;
  return `${row.size.padEnd(9)} ${`${row.encoder} (${row.role}, ${threads})`.padEnd(40)} ${row.frames} frames in ${row.seconds.toFixed(2)} s: ${row.framesPerSecond.toFixed(1)} frames/s, ${(row.bytes / MB).toFixed(2)} MB, ${rss}`;
}

export async function benchRender(log: (line: string) => void): Promise<RenderReport> {
  const binaries = ffmpegBinaries();
  const version = (await run(binaries.ffmpeg, ["-hide_banner", "-version"])).stdout.split("\n")[0] ?? "";
  const chosen = await chooseEncoder(binaries.ffmpeg, "auto", silentLogger());
  const threads = defaultThreads();
  log(`ffmpeg (${binaries.origin.ffmpeg}): ${version}`);
  log(
    `${availableParallelism()} cores; chosen encoder ${chosen}, default threads ${threads}; ${FRAMES} frames at ${FPS} fps`,
  );
  const dir = scratchDir("bench-render");
  const rows: RenderRow[] = [];
  try {
    for (const { width, height } of SIZES) {
      const size = `${width}x${height}`;
      const frames = join(dir, size);
      mkdirSync(frames);
      await writeFrames(frames, width, height);
      for (const [role, encoder, t] of [
        ["chosen", "auto", threads],
        ["reference", "libx264", 0],
      ] as const) {
        const row = await renderRow(frames, join(dir, `${size}-${role}.mp4`), size, role, encoder, t);
        rows.push(row);
        log(line(row));
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    ffmpeg: { path: binaries.ffmpeg, origin: binaries.origin.ffmpeg, version },
    framesPerRender: FRAMES,
    rows,
  };
}
