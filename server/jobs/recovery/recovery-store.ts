import { mkdir, readFile, rm } from "node:fs/promises";
import path from "node:path";
import { HostError } from "../../util/errors.ts";
import { writeFileAtomic } from "../../util/fs-util.ts";
import type { Logger } from "../../util/log.ts";
import type { RecoveryPoint } from "./recovery-point.ts";

export interface RecoveryStoreDeps {
  /** e.g. `<dataDir>/recovery.json`. */
  file: string;
  log: Logger;
}

/**
 * The recovery point on disk, replaced with `writeFileAtomic` (temp file, fsync, rename, fsync the
 * folder): after a kill or a power cut it holds either the old point or the new one, never a torn
 * mix. Writes are serialised; a write asked for while one is under way replaces any still waiting
 * (only the newest point matters).
 */
export class RecoveryStore {
  readonly #deps: RecoveryStoreDeps;
  #writing: Promise<void> = Promise.resolve();
  #waiting: RecoveryPoint | null | undefined;

  constructor(deps: RecoveryStoreDeps) {
    this.#deps = deps;
  }

  /** The point on disk; null when there is none. A damaged file is reported and treated as none. */
  async load(): Promise<RecoveryPoint | null> {
    let text: string;
    try {
      text = await readFile(this.#deps.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw new HostError("STORAGE", `cannot read ${this.#deps.file}: ${(err as Error).message}`);
    }
    try {
      const point = JSON.parse(text) as RecoveryPoint;
      if (point.version !== 1 || typeof point.file !== "string" || typeof point.byteOffset !== "number") {
        throw new Error("not a recovery point");
      }
      return point;
    } catch (err) {
      this.#deps.log.error(
        { file: this.#deps.file, err: (err as Error).message },
        "recovery point unreadable",
      );
      return null;
    }
  }

  /** Queues `point` for writing; resolves once it (or a newer point) is on disk. */
  save(point: RecoveryPoint): Promise<void> {
    return this.#enqueue(point);
  }

  /** Removes the point (the print ended in a way that needs no recovery). */
  clear(): Promise<void> {
    return this.#enqueue(null);
  }

  /** Resolves when every queued write is done. */
  flush(): Promise<void> {
    return this.#writing;
  }

  #enqueue(point: RecoveryPoint | null): Promise<void> {
    const idle = this.#waiting === undefined;
    this.#waiting = point;
    if (idle) {
      this.#writing = this.#writing.then(() => this.#drain());
    }
    return this.#writing;
  }

  async #drain(): Promise<void> {
    while (this.#waiting !== undefined) {
      const point = this.#waiting;
      this.#waiting = undefined;
      try {
        if (point === null) await rm(this.#deps.file, { force: true });
        else await this.#write(point);
      } catch (err) {
        // A full disk must not stop the print: the previous point stays, and the failure is logged.
        this.#deps.log.error(
          { file: this.#deps.file, err: (err as Error).message },
          "recovery point not written",
        );
      }
    }
  }

  async #write(point: RecoveryPoint): Promise<void> {
    const dir = path.dirname(this.#deps.file);
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(dir, this.#deps.file, JSON.stringify(point));
  }
}
