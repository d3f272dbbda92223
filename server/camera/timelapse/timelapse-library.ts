import { mkdir, readdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { HostError } from "../../util/errors.ts";
import { errnoCode, writeFileAtomic } from "../../util/fs-util.ts";
import { FrameSet, stamp } from "./frame-set.ts";
import type { PrintOutcome } from "./timelapse-config.ts";

/** A rendered time-lapse as listed: `<name>` is the MP4's file name. */
export interface TimelapseVideo {
  name: string;
  bytes: number;
  /** When it was rendered, ms. */
  createdAt: number;
  /** The poster's file name, null when there is none. */
  poster: string | null;
  jobId: number | null;
  /** The printed file. */
  file: string | null;
  outcome: PrintOutcome | null;
  frames: number | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  encoder: string | null;
}

/** A set of frames never rendered (its print's outcome is not rendered by the settings, or the daemon stopped). */
export interface UnrenderedSet {
  id: string;
  jobId: number | null;
  file: string;
  frames: number;
  outcome: PrintOutcome | null;
  startedAt: number;
  modifiedAt: number;
}

type VideoMeta = Omit<TimelapseVideo, "name" | "bytes" | "createdAt" | "poster">;

/** A video's name: a safe file name ending in `.mp4` (no folders, no leading dot). */
const VIDEO_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}\.mp4$/;
/** A frame set's id: `<jobId>-<stamp>`. */
const SET_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,100}$/;

/**
 * The time-lapse folder (`<data>/timelapse`): rendered videos, each `<name>.mp4` with `<name>.jpg`
 * (its poster) and `<name>.json` (what it shows), and `frames/<set>/` for frame sets. Names from
 * requests are checked against strict patterns, so no request can reach outside the folder.
 */
export class TimelapseLibrary {
  readonly root: string;
  readonly framesDir: string;

  constructor(root: string) {
    this.root = root;
    this.framesDir = path.join(root, "frames");
  }

  async init(): Promise<void> {
    await mkdir(this.framesDir, { recursive: true });
  }

  /** A free name for a print's video: `<file base>-<stamp>[-cancelled|-failed].mp4`. */
  async nameFor(set: FrameSet): Promise<string> {
    const base = path.posix.basename(set.meta.file).replace(/\.gcode(\.gz)?$/i, "");
    const safe =
      base
        .replace(/[^A-Za-z0-9._-]+/g, "_")
        .replace(/^[._-]+/, "")
        .slice(0, 80) || "print";
    const suffix = set.meta.outcome === null || set.meta.outcome === "done" ? "" : `-${set.meta.outcome}`;
    const stem = `${safe}-${stamp(set.meta.startedAt)}${suffix}`;
    for (let n = 1; ; n++) {
      const name = `${n === 1 ? stem : `${stem}-${n}`}.mp4`;
      if (!(await exists(path.join(this.root, name)))) return name;
    }
  }

  /** Where a video of this name is (INVALID_INPUT for a name that is not one). */
  videoPath(name: string): string {
    if (!VIDEO_NAME.test(name))
      throw new HostError("BAD_NAME", `not a time-lapse name: ${JSON.stringify(name)}`);
    return path.join(this.root, name);
  }

  posterPath(name: string): string {
    return this.videoPath(name).replace(/\.mp4$/, ".jpg");
  }

  async saveMeta(name: string, meta: VideoMeta): Promise<void> {
    await writeFileAtomic(this.root, this.videoPath(name).replace(/\.mp4$/, ".json"), JSON.stringify(meta));
  }

  async list(): Promise<TimelapseVideo[]> {
    const names = (await readdir(this.root)).filter((n) => VIDEO_NAME.test(n));
    const videos = await Promise.all(names.map((name) => this.get(name).catch(() => null)));
    return videos
      .filter((v): v is TimelapseVideo => v !== null)
      .sort((a, b) => b.createdAt - a.createdAt || a.name.localeCompare(b.name));
  }

  /** NOT_FOUND when there is no such video. */
  async get(name: string): Promise<TimelapseVideo> {
    const file = this.videoPath(name);
    let info: Awaited<ReturnType<typeof stat>>;
    try {
      info = await stat(file);
    } catch (err) {
      if (errnoCode(err) === "ENOENT")
        throw new HostError("NOT_FOUND", `no time-lapse ${JSON.stringify(name)}`);
      throw err;
    }
    const meta = await readJson<Partial<VideoMeta>>(file.replace(/\.mp4$/, ".json"));
    const poster = (await exists(this.posterPath(name))) ? path.basename(this.posterPath(name)) : null;
    return {
      name,
      bytes: info.size,
      createdAt: Math.round(info.mtimeMs),
      poster,
      jobId: meta?.jobId ?? null,
      file: meta?.file ?? null,
      outcome: meta?.outcome ?? null,
      frames: meta?.frames ?? null,
      durationSeconds: meta?.durationSeconds ?? null,
      width: meta?.width ?? null,
      height: meta?.height ?? null,
      encoder: meta?.encoder ?? null,
    };
  }

  /** Removes the video, its poster and its description; NOT_FOUND when there is no such video. */
  async remove(name: string): Promise<void> {
    await this.get(name);
    const file = this.videoPath(name);
    for (const target of [file, this.posterPath(name), file.replace(/\.mp4$/, ".json")]) {
      await rm(target, { force: true });
    }
  }

  /** The frame sets on disk except `except` (the one being recorded). */
  async unrendered(except: string | null = null): Promise<UnrenderedSet[]> {
    let ids: string[];
    try {
      ids = await readdir(this.framesDir);
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return [];
      throw err;
    }
    const sets = await Promise.all(
      ids.filter((id) => SET_ID.test(id) && id !== except).map((id) => this.#describe(id)),
    );
    return sets.filter((s): s is UnrenderedSet => s !== null).sort((a, b) => b.startedAt - a.startedAt);
  }

  /** A frame set by id; NOT_FOUND when there is none. */
  async openSet(id: string): Promise<FrameSet> {
    if (!SET_ID.test(id)) throw new HostError("BAD_NAME", `not a frame set: ${JSON.stringify(id)}`);
    const set = await FrameSet.open(path.join(this.framesDir, id));
    if (set === null) throw new HostError("NOT_FOUND", `no unrendered time-lapse ${JSON.stringify(id)}`);
    return set;
  }

  async removeSet(id: string): Promise<void> {
    const set = await this.openSet(id);
    await rm(set.dir, { recursive: true, force: true });
  }

  /** Deletes frame sets unchanged for `days` (except the one being recorded); their ids. */
  async removeOlderThan(days: number, now: number, except: string | null): Promise<string[]> {
    const removed: string[] = [];
    for (const set of await this.unrendered(except)) {
      if (now - set.modifiedAt > days * 86_400_000) {
        await this.removeSet(set.id);
        removed.push(set.id);
      }
    }
    return removed;
  }

  async #describe(id: string): Promise<UnrenderedSet | null> {
    const set = await FrameSet.open(path.join(this.framesDir, id));
    if (set === null) return null;
    const { jobId, file, outcome, startedAt } = set.meta;
    return { id, jobId, file, frames: set.frames, outcome, startedAt, modifiedAt: await set.modifiedAt() };
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
}
