import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createGunzip } from "node:zlib";
import type { Analysis } from "./analysis-types.ts";
import { GcodeAnalyzer } from "./gcode-analyzer.ts";

/** Read size; the analyser keeps no more than one chunk plus a partial line of text. */
const CHUNK_BYTES = 64 * 1024;

/** gzip member header magic, RFC 1952 §2.3.1. */
async function isGzip(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/** Streams a G-code file (plain or gzip) through the analyser; rejects with the fs error if it cannot be read. */
export async function analyzeGcodeFile(path: string): Promise<Analysis> {
  const gzip = await isGzip(path);
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const source = gzip ? file.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : file;
  if (gzip) file.on("error", (err) => source.destroy(err));
  const analyzer = new GcodeAnalyzer();
  for await (const chunk of source) analyzer.push(chunk as Buffer);
  return analyzer.finish();
}
