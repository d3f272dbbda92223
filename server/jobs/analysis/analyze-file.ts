import { createReadStream } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import { hasGzipMagic } from "../../util/fs-util.ts";
import type { AnalysisOptions } from "./analysis-options.ts";
import type { Analysis } from "./analysis-types.ts";
import { GcodeAnalyzer } from "./gcode-analyzer.ts";

/** Read size; the analyser keeps no more than one chunk plus a partial line. */
const CHUNK_BYTES = 64 * 1024;

async function isGzip(handle: FileHandle): Promise<boolean> {
  const head = Buffer.alloc(2);
  const { bytesRead } = await handle.read(head, 0, 2, 0);
  return hasGzipMagic(head.subarray(0, bytesRead));
}

/**
 * A plain file goes through one reused buffer: the analyser is done with a chunk before the next read
 * (it copies only a line that straddles two chunks), so reading allocates nothing per chunk.
 */
async function pushPlain(handle: FileHandle, analyzer: GcodeAnalyzer): Promise<void> {
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  for (;;) {
    const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
    if (bytesRead === 0) return;
    analyzer.push(buffer.subarray(0, bytesRead));
  }
}

async function pushGzip(path: string, analyzer: GcodeAnalyzer): Promise<void> {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const source = file.pipe(createGunzip({ chunkSize: CHUNK_BYTES }));
  file.on("error", (err) => source.destroy(err));
  for await (const chunk of source) analyzer.push(chunk as Buffer);
}

/**
 * Streams a G-code file (plain or gzip) through the analyser on the calling thread; rejects with the fs
 * (or zlib) error if it cannot be read. `analyzeInWorker` runs the same off the event loop.
 */
export async function analyzeGcodeFile(path: string, options?: AnalysisOptions): Promise<Analysis> {
  const analyzer = new GcodeAnalyzer(options);
  const handle = await open(path, "r");
  try {
    if (await isGzip(handle)) await pushGzip(path, analyzer);
    else await pushPlain(handle, analyzer);
  } finally {
    await handle.close();
  }
  return analyzer.finish();
}
