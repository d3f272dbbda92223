import { mkdir, readdir, readFile, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { writeFileAtomic } from "../../util/fs-util.ts";
import { frameName } from "../render/frame-set.ts";
import type { PrintOutcome } from "./timelapse-config.ts";

export { frameName };

/** What a frame set says about itself (`set.json` beside its frames). */
export interface FrameSetMeta {
  jobId: number | null;
  /** The printed file, as the store names it. */
  file: string;
  startedAt: number;
  /** Set when the print ended; a set without one was left by a daemon that stopped mid-print. */
  outcome: PrintOutcome | null;
  endedAt: number | null;
}

const META = "set.json";

/**
 * One print's time-lapse frames: a folder of `frame-NNNNNN.jpg` and `set.json`. Frames are written
 * to a temporary name and renamed, so a half-written frame never joins the set; a failed capture
 * does not use up a number (the numbering stays gapless, as ffmpeg needs).
 */
export class FrameSet {
  readonly dir: string;
  readonly id: string;
  #meta: FrameSetMeta;
  #count: number;

  private constructor(dir: string, meta: FrameSetMeta, count: number) {
    this.dir = dir;
    this.id = path.basename(dir);
    this.#meta = meta;
    this.#count = count;
  }

  /** A new, empty set under `root`, named for the job and the time. */
  static async create(root: string, meta: Omit<FrameSetMeta, "outcome" | "endedAt">): Promise<FrameSet> {
    const id = `${meta.jobId ?? "job"}-${stamp(meta.startedAt)}`;
    const dir = path.join(root, id);
    await mkdir(dir, { recursive: true });
    const full: FrameSetMeta = { ...meta, outcome: null, endedAt: null };
    await writeFileAtomic(dir, path.join(dir, META), JSON.stringify(full));
    return new FrameSet(dir, full, 0);
  }

  /** A set already on disk (frames counted from the files); null when `dir` is not one. */
  static async open(dir: string): Promise<FrameSet | null> {
    let meta: FrameSetMeta;
    try {
      meta = JSON.parse(await readFile(path.join(dir, META), "utf8")) as FrameSetMeta;
    } catch {
      return null;
    }
    const names = new Set(await readdir(dir));
    let count = 0;
    while (names.has(frameName(count + 1))) count++;
    return new FrameSet(dir, meta, count);
  }

  get meta(): Readonly<FrameSetMeta> {
    return this.#meta;
  }

  get frames(): number {
    return this.#count;
  }

  /** Adds a frame (a JPEG); its 1-based number. */
  async add(jpeg: Buffer): Promise<number> {
    const index = this.#count + 1;
    const target = path.join(this.dir, frameName(index));
    const temp = `${target}.part`;
    await writeFile(temp, jpeg);
    await rename(temp, target);
    this.#count = index;
    return index;
  }

  /** The print ended: its outcome is written into `set.json`. */
  async end(outcome: PrintOutcome, endedAt: number): Promise<void> {
    this.#meta = { ...this.#meta, outcome, endedAt };
    await writeFileAtomic(this.dir, path.join(this.dir, META), JSON.stringify(this.#meta));
  }

  /** Time of the last change on disk, ms (for the cleanup of old sets). */
  async modifiedAt(): Promise<number> {
    return (await stat(this.dir)).mtimeMs;
  }
}

/** `20261126-143012` in UTC. */
export function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 15);
}
