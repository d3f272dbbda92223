import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { errnoCode, removeQuietly, writeFileAtomic } from "../../util/fs-util.ts";
import type { Logger } from "../../util/log.ts";
import type { Analysis } from "../analysis/analysis-types.ts";
import type { AnalysisState, StoredAnalysis, StoredThumbnail } from "./file-store-types.ts";
import type { StoreLayout } from "./store-layout.ts";

type FinalState = Exclude<AnalysisState, { status: "pending" }>;
type DiskThumbnail = Omit<StoredThumbnail, "path">;

/** `<hash>.json` on disk: a final state whose thumbnails carry no absolute path. */
type Sidecar = { version: 1; hash: string } & (
  | {
      status: "ready";
      analyzedAt: string;
      analysis: Omit<StoredAnalysis, "thumbnails"> & { thumbnails: DiskThumbnail[] };
    }
  | { status: "failed"; analyzedAt: string; error: string }
);

/** The only thumbnail names the store writes; anything else in a sidecar is not trusted as a path. */
const THUMBNAIL_FILE = /^[0-9a-f]{64}-\d+x\d+(?:-\d+)?\.(?:png|jpg|qoi)$/;
const HASH_PREFIX = /^([0-9a-f]{64})(?:\.json$|-)/;

export type AnalysisOutcome = { analysis: Analysis } | { error: string };

/**
 * Analysis results keyed by content hash: a JSON sidecar per hash plus its thumbnail images, so the same
 * content under several names, a move or a rename shares one record. Sidecars survive restarts and are
 * read lazily, then cached.
 */
export class MetadataStore {
  readonly #layout: StoreLayout;
  readonly #log: Logger;
  readonly #cache = new Map<string, FinalState>();

  constructor(layout: StoreLayout, log: Logger) {
    this.#layout = layout;
    this.#log = log;
  }

  /** The recorded state of `hash`, or null when it was never analysed (or its sidecar is unreadable). */
  async read(hash: string): Promise<FinalState | null> {
    const cached = this.#cache.get(hash);
    if (cached !== undefined) return cached;
    let sidecar: Sidecar;
    try {
      sidecar = JSON.parse(await readFile(this.#sidecarPath(hash), "utf8")) as Sidecar;
    } catch (err) {
      if (errnoCode(err) !== "ENOENT")
        this.#log.warn({ hash, err }, "unreadable analysis sidecar; analysing again");
      return null;
    }
    if (typeof sidecar !== "object" || sidecar === null || sidecar.version !== 1 || sidecar.hash !== hash) {
      return null;
    }
    const state = this.#fromSidecar(sidecar);
    if (state !== null) this.#cache.set(hash, state);
    return state;
  }

  /**
   * Stores an analysis (thumbnails first, then the sidecar that names them) or a failure. If the
   * result cannot be written (disk full) the failure is kept in memory and returned.
   */
  async record(hash: string, outcome: AnalysisOutcome): Promise<FinalState> {
    const analyzedAt = new Date().toISOString();
    let state: FinalState;
    if ("analysis" in outcome) {
      try {
        state = await this.#writeReady(hash, outcome.analysis, analyzedAt);
      } catch (err) {
        await this.remove(hash);
        const reason = err instanceof Error ? err.message : String(err);
        this.#log.error({ hash, err }, "cannot store the analysis");
        state = { status: "failed", analyzedAt, error: `cannot store the analysis: ${reason}` };
      }
    } else {
      state = { status: "failed", analyzedAt, error: outcome.error };
    }
    if (state.status === "failed") {
      const sidecar: Sidecar = { version: 1, hash, ...state };
      await this.#writeSidecar(sidecar).catch((err: unknown) => {
        this.#log.error({ hash, err }, "cannot store the analysis failure; keeping it in memory");
      });
    }
    this.#cache.set(hash, state);
    return state;
  }

  /** Forgets `hash`: its sidecar and its thumbnails. */
  async remove(hash: string): Promise<void> {
    this.#cache.delete(hash);
    await removeQuietly(this.#sidecarPath(hash));
    const names = await readdir(this.#layout.thumbDir).catch(() => [] as string[]);
    await Promise.all(
      names.filter((n) => n.startsWith(`${hash}-`)).map((n) => removeQuietly(join(this.#layout.thumbDir, n))),
    );
  }

  /** Removes every sidecar and thumbnail whose hash is not in `keep`. */
  async removeAllExcept(keep: ReadonlySet<string>): Promise<void> {
    const orphans = new Set<string>();
    for (const dir of [this.#layout.sidecarDir, this.#layout.thumbDir]) {
      for (const name of await readdir(dir).catch(() => [] as string[])) {
        const hash = HASH_PREFIX.exec(name)?.[1];
        if (hash !== undefined && !keep.has(hash)) orphans.add(hash);
      }
    }
    for (const hash of orphans) await this.remove(hash);
    if (orphans.size > 0) this.#log.info({ count: orphans.size }, "removed metadata of deleted files");
  }

  async #writeReady(hash: string, analysis: Analysis, analyzedAt: string): Promise<FinalState> {
    const { thumbnails, ...rest } = analysis;
    const stored: DiskThumbnail[] = [];
    const used = new Set<string>();
    for (const t of thumbnails) {
      const base = `${hash}-${t.width}x${t.height}`;
      let file = `${base}.${t.format}`;
      for (let n = 2; used.has(file); n++) file = `${base}-${n}.${t.format}`;
      used.add(file);
      await writeFileAtomic(this.#layout.tmpDir, join(this.#layout.thumbDir, file), t.data);
      stored.push({ width: t.width, height: t.height, format: t.format, bytes: t.data.length, file });
    }
    const sidecar: Sidecar = {
      version: 1,
      hash,
      status: "ready",
      analyzedAt,
      analysis: { ...rest, thumbnails: stored },
    };
    const text = await this.#writeSidecar(sidecar);
    // Read back from the JSON, so the state is the same before and after a restart (-0, NaN, Infinity).
    return this.#fromSidecar(JSON.parse(text) as Sidecar) as FinalState;
  }

  async #writeSidecar(sidecar: Sidecar): Promise<string> {
    const text = `${JSON.stringify(sidecar)}\n`;
    await writeFileAtomic(this.#layout.tmpDir, this.#sidecarPath(sidecar.hash), text);
    return text;
  }

  #fromSidecar(sidecar: Sidecar): FinalState | null {
    if (sidecar.status === "failed") {
      return { status: "failed", analyzedAt: sidecar.analyzedAt, error: sidecar.error };
    }
    if (sidecar.status !== "ready" || !Array.isArray(sidecar.analysis?.thumbnails)) return null;
    if (!sidecar.analysis.thumbnails.every((t) => THUMBNAIL_FILE.test(t.file))) return null;
    const thumbnails = sidecar.analysis.thumbnails.map((t) => ({
      ...t,
      path: join(this.#layout.thumbDir, t.file),
    }));
    return {
      status: "ready",
      analyzedAt: sidecar.analyzedAt,
      analysis: { ...sidecar.analysis, thumbnails },
    };
  }

  #sidecarPath(hash: string): string {
    return join(this.#layout.sidecarDir, `${hash}.json`);
  }
}
