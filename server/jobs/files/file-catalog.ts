import type { Stats } from "node:fs";
import { basename } from "node:path";
import { hashFile } from "../../util/fs-util.ts";
import type { Logger } from "../../util/log.ts";
import type { Analysis } from "../analysis/analysis-types.ts";
import { AnalysisQueue } from "./analysis-queue.ts";
import type { WalkEntry } from "./directory-walk.ts";
import { FileIndex, type IndexEntry } from "./file-index.ts";
import type { AnalysisState, FileEntry } from "./file-store-types.ts";
import { MetadataStore } from "./metadata-store.ts";
import { runAnalysis } from "./run-analysis.ts";
import { resolveInside } from "./safe-path.ts";
import type { StoreLayout } from "./store-layout.ts";

export interface FileCatalogDeps {
  layout: StoreLayout;
  analyze: (path: string) => Promise<Analysis>;
  log: Logger;
}

/**
 * What the store knows about its files beyond the filesystem: path → content hash (the index), and per
 * hash the analysis (sidecars and thumbnails) and its queue. The file store tells it about every change
 * it makes; files changed behind its back are found by size/mtime and hashed again.
 */
export class FileCatalog {
  readonly #deps: FileCatalogDeps;
  readonly #index: FileIndex;
  readonly #meta: MetadataStore;
  readonly #queue: AnalysisQueue;

  constructor(deps: FileCatalogDeps) {
    this.#deps = deps;
    this.#index = new FileIndex(deps.layout.indexFile, deps.layout.tmpDir, deps.log);
    this.#meta = new MetadataStore(deps.layout, deps.log);
    this.#queue = new AnalysisQueue(
      (hash) =>
        runAnalysis(hash, {
          root: deps.layout.root,
          index: this.#index,
          meta: this.#meta,
          analyze: deps.analyze,
          log: deps.log,
        }),
      deps.log,
    );
  }

  /**
   * Loads the index and reconciles it with `files` (every file on disk): unknown or changed files are
   * hashed, vanished ones dropped with their metadata, unanalysed content queued.
   */
  async load(files: readonly WalkEntry[]): Promise<void> {
    await this.#index.load();
    const seen = new Set(files.map((f) => f.path));
    for (const path of this.#index.paths()) if (!seen.has(path)) this.#index.deleteUnder(path);
    for (const f of files) await this.entry(f.path, f.stats);
    await this.#saveIndex();
    await this.#meta.removeAllExcept(this.#index.hashes());
  }

  /** Waits for queued analyses; no new ones start. */
  async stop(): Promise<void> {
    await this.#queue.stop();
  }

  /** The listing entry of the file at `rel`, whose lstat is `stats`. */
  async entry(rel: string, stats: Stats): Promise<FileEntry> {
    const hash = await this.#hashFor(rel, stats);
    const analysis = await this.#analysisState(hash);
    return {
      type: "file",
      name: basename(rel),
      path: rel,
      size: stats.size,
      modifiedMs: stats.mtimeMs,
      hash,
      analysis,
    };
  }

  /** Resolves when `hash` is no longer queued or being analysed. */
  whenAnalyzed(hash: string): Promise<void> {
    return this.#queue.whenDone(hash);
  }

  isQueued(hash: string): boolean {
    return this.#queue.isQueued(hash);
  }

  /**
   * A file was written at `rel` (new or replacing another). Uploading content whose analysis failed
   * before is how a user retries: the failure is forgotten and the content analysed again.
   */
  async stored(rel: string, entry: IndexEntry): Promise<void> {
    const previous = this.#index.get(rel)?.hash;
    this.#index.set(rel, entry);
    await this.#saveIndex();
    if (previous !== undefined && previous !== entry.hash) await this.#forgetIfUnreferenced(previous);
    if ((await this.#meta.read(entry.hash))?.status === "failed") await this.#meta.remove(entry.hash);
  }

  /** A file or folder was moved; hashes, and so metadata, stay as they are. */
  async moved(from: string, to: string): Promise<void> {
    this.#index.renameUnder(from, to);
    await this.#saveIndex();
  }

  /** A file or folder was deleted; metadata no other file shares goes with it. */
  async deleted(rel: string): Promise<void> {
    const hashes = new Set(this.#index.deleteUnder(rel));
    await this.#saveIndex();
    for (const hash of hashes) await this.#forgetIfUnreferenced(hash);
  }

  /** The index's hash while size and mtime match, else the file is hashed again. */
  async #hashFor(rel: string, stats: Stats): Promise<string> {
    const known = this.#index.get(rel);
    if (known !== undefined && this.#index.isFresh(rel, stats)) return known.hash;
    const hash = await hashFile(resolveInside(this.#deps.layout.root, rel));
    this.#index.set(rel, { hash, size: stats.size, mtimeMs: stats.mtimeMs });
    await this.#saveIndex();
    return hash;
  }

  /** Pending while queued; a hash with no record is queued here, so files copied in by hand get analysed. */
  async #analysisState(hash: string): Promise<AnalysisState> {
    if (this.#queue.isQueued(hash)) return { status: "pending" };
    const stored = await this.#meta.read(hash);
    if (stored !== null) return stored;
    this.#queue.enqueue(hash);
    return { status: "pending" };
  }

  /** A job still queued for `hash` checks for itself whether the content is still referenced. */
  async #forgetIfUnreferenced(hash: string): Promise<void> {
    if (this.#index.pathsWithHash(hash).length === 0 && !this.#queue.isQueued(hash)) {
      await this.#meta.remove(hash);
    }
  }

  /** The index is a cache: failing to write it (disk full) is logged and never fails the operation. */
  async #saveIndex(): Promise<void> {
    await this.#index
      .save()
      .catch((err: unknown) => this.#deps.log.warn({ err }, "cannot write the file index"));
  }
}
