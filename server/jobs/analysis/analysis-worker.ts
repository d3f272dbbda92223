/**
 * Worker-thread entry of `AnalysisWorkerPool`: answers each `WorkerRequest` with one `WorkerReply`, one
 * file at a time. Loaded through the bootstrap in analyze-in-worker.ts, which installs tsx's require hook
 * first: this module and its imports run as CommonJS there (no top-level await).
 */
import { parentPort } from "node:worker_threads";
import type { AnalysisOptions } from "./analysis-options.ts";
import type { Analysis } from "./analysis-types.ts";
import { analyzeGcodeFile } from "./analyze-file.ts";

export interface WorkerRequest {
  id: number;
  path: string;
  options: AnalysisOptions;
}

/** `code` is the Node error code (`ENOENT`, `EACCES`, `Z_DATA_ERROR`, …) when there is one. */
export type WorkerReply =
  | { id: number; ok: true; analysis: Analysis }
  | { id: number; ok: false; error: { message: string; code: string | null } };

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    return { id: request.id, ok: true, analysis: await analyzeGcodeFile(request.path, request.options) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = (err as Error).message;
    return { id: request.id, ok: false, error: { message, code: typeof code === "string" ? code : null } };
  }
}

const port = parentPort;
port?.on("message", (request: WorkerRequest) => {
  void answer(request).then((reply) => port.postMessage(reply));
});
