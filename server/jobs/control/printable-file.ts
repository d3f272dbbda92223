import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import { isGzipFile } from "../../util/fs-util.ts";

/**
 * A path the print can stream from with byte offsets that match the analysis: the file itself, or
 * for a gzip file its decompressed copy in `cacheDir` (named by content hash, written atomically,
 * reused by a later print or a recovery of the same file).
 */
export async function printablePath(file: string, hash: string, cacheDir: string): Promise<string> {
  if (!(await isGzipFile(file))) return file;
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
