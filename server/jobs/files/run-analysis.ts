import type { Logger } from "../../util/log.ts";
import type { Analysis } from "../analysis/analysis-types.ts";
import type { FileIndex } from "./file-index.ts";
import type { AnalysisOutcome, MetadataStore } from "./metadata-store.ts";
import { resolveInside } from "./safe-path.ts";

export interface AnalysisContext {
  root: string;
  index: FileIndex;
  meta: MetadataStore;
  analyze: (path: string) => Promise<Analysis>;
  log: Logger;
}

/** A file that keeps moving or changing under the analyser is left unrecorded (and queued again when next listed). */
const MAX_ATTEMPTS = 3;

/**
 * Analyses the content `hash` through one of the files that hold it and records the result, or the
 * error: a failed analysis never removes the file. If that file was moved, replaced or deleted while it
 * was read, the result is not trusted and the content's current path (if any) is analysed instead.
 */
export async function runAnalysis(hash: string, ctx: AnalysisContext): Promise<void> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const relPath = ctx.index.pathsWithHash(hash)[0];
    if (relPath === undefined) return;
    let outcome: AnalysisOutcome;
    try {
      outcome = { analysis: await ctx.analyze(resolveInside(ctx.root, relPath)) };
    } catch (err) {
      outcome = { error: err instanceof Error ? err.message : String(err) };
    }
    if (!ctx.index.pathsWithHash(hash).includes(relPath)) continue;
    if ("error" in outcome) {
      ctx.log.warn({ path: relPath, hash, error: outcome.error }, "analysis failed; the file is kept");
    }
    const state = await ctx.meta.record(hash, outcome);
    ctx.log.info({ path: relPath, hash, status: state.status }, "analysis recorded");
    return;
  }
}
