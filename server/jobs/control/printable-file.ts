import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";

/** gzip member header magic, RFC 1952 §2.3.1. */
async function isGzip(file: string): Promise<boolean> {
  const handle = await open(file, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } finally {
    await handle.close();
  }
}

/**
 * A path the print can stream from with byte offsets that match the analysis: the file itself, or
 * for a gzip file its decompressed copy in `cacheDir` (named by content hash, written atomically,
 * reused by a later print or a recovery of the same file).
 */
export async function printablePath(file: string, hash: string, cacheDir: string): Promise<string> {
  if (!(await isGzip(file))) return file;
  const plain = path.join(cacheDir, `${hash}.gcode`);
  const existing = await stat(plain).catch(() => null);
  if (existing?.isFile()) return plain;
  await mkdir(cacheDir, { recursive: true });
  const temp = `${plain}.${process.pid}.tmp`;
  try {
    await pipeline(createReadStream(file), createGunzip(), createWriteStream(temp));
    await rename(temp, plain);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
  return plain;
}
