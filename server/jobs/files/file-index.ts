import type { Stats } from "node:fs";
import { readFile } from "node:fs/promises";
import { errnoCode, writeFileAtomic } from "../../util/fs-util.ts";
import type { Logger } from "../../util/log.ts";

/** What the index knows about one file; trusted only while size and mtime still match the disk. */
export interface IndexEntry {
  /** SHA-256 of the content, lower-case hex: the key of the file's metadata sidecar. */
  hash: string;
  size: number;
  mtimeMs: number;
}

interface IndexFile {
  version: 1;
  files: Record<string, IndexEntry>;
}

const HASH = /^[0-9a-f]{64}$/;

function isEntry(value: unknown): value is IndexEntry {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.hash === "string" &&
    HASH.test(v.hash) &&
    typeof v.size === "number" &&
    typeof v.mtimeMs === "number"
  );
}

/**
 * Relative path → content hash, persisted as one JSON file. A cache: it can be lost or stale (files
 * copied in by hand) and is rebuilt by hashing; `isFresh` says whether an entry still describes the disk.
 */
export class FileIndex {
  readonly #file: string;
  readonly #tmpDir: string;
  readonly #log: Logger;
  #entries = new Map<string, IndexEntry>();
  #writing: Promise<void> = Promise.resolve();

  constructor(file: string, tmpDir: string, log: Logger) {
    this.#file = file;
    this.#tmpDir = tmpDir;
    this.#log = log;
  }

  /** Reads the index; a missing or unreadable one starts empty (every file is then hashed again). */
  async load(): Promise<void> {
    this.#entries = new Map();
    let text: string;
    try {
      text = await readFile(this.#file, "utf8");
    } catch (err) {
      if (errnoCode(err) !== "ENOENT") this.#log.warn({ err }, "cannot read the file index; rebuilding it");
      return;
    }
    try {
      const parsed = JSON.parse(text) as Partial<IndexFile>;
      for (const [path, entry] of Object.entries(parsed.files ?? {})) {
        if (isEntry(entry)) this.#entries.set(path, entry);
      }
    } catch (err) {
      this.#log.warn({ err }, "the file index is corrupt; rebuilding it");
    }
  }

  get(relPath: string): IndexEntry | undefined {
    return this.#entries.get(relPath);
  }

  isFresh(relPath: string, stats: Stats): boolean {
    const entry = this.#entries.get(relPath);
    return entry !== undefined && entry.size === stats.size && entry.mtimeMs === stats.mtimeMs;
  }

  set(relPath: string, entry: IndexEntry): void {
    this.#entries.set(relPath, entry);
  }

  paths(): string[] {
    return [...this.#entries.keys()];
  }

  /** Paths of `folder` itself and everything below it. */
  pathsUnder(folder: string): string[] {
    return this.paths().filter((p) => p === folder || p.startsWith(`${folder}/`));
  }

  pathsWithHash(hash: string): string[] {
    return [...this.#entries].filter(([, e]) => e.hash === hash).map(([p]) => p);
  }

  /** Removes `relPath` and everything below it; returns the hashes that were removed. */
  deleteUnder(relPath: string): string[] {
    const hashes: string[] = [];
    for (const path of this.pathsUnder(relPath)) {
      const entry = this.#entries.get(path);
      if (entry !== undefined) hashes.push(entry.hash);
      this.#entries.delete(path);
    }
    return hashes;
  }

  /** Moves the entries of a file or folder `from` to `to`. */
  renameUnder(from: string, to: string): void {
    for (const path of this.pathsUnder(from)) {
      const entry = this.#entries.get(path);
      this.#entries.delete(path);
      if (entry !== undefined) this.#entries.set(to + path.slice(from.length), entry);
    }
  }

  hashes(): Set<string> {
    return new Set([...this.#entries.values()].map((e) => e.hash));
  }

  /**
   * Writes the index atomically. Writes are chained and each serialises the map when its turn comes,
   * so the last write on disk always holds the latest state.
   */
  save(): Promise<void> {
    const write = this.#writing.then(() => {
      const data: IndexFile = { version: 1, files: Object.fromEntries(this.#entries) };
      return writeFileAtomic(this.#tmpDir, this.#file, `${JSON.stringify(data)}\n`);
    });
    this.#writing = write.catch(() => undefined);
    return write;
  }
}
