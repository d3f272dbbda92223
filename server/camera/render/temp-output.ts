import { open, rename } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import { fsyncDir, removeQuietly, storageError } from "../../util/fs-util.ts";

/**
 * `.<name>.part<ext>` beside `dest` (`/t/a.mp4` → `/t/.a.part.mp4`): hidden from listings, same filesystem
 * so the final rename is atomic, and the extension kept for tools that look at it.
 */
export function partPath(dest: string): string {
  const ext = extname(dest);
  return join(dirname(dest), `.${basename(dest, ext)}.part${ext}`);
}

/**
 * Runs `produce` to write into `partPath(dest)`, then fsyncs that file, renames it over `dest` and fsyncs
 * the directory, so `dest` is either absent, the old file or the complete new one. On any failure the
 * part file is removed and the error rethrown (disk errors as STORAGE). Resolves to `produce`'s value and
 * the file's size in bytes.
 */
export async function writeViaPart<T>(
  dest: string,
  produce: (part: string) => Promise<T>,
): Promise<{ value: T; bytes: number }> {
  const part = partPath(dest);
  let value: T;
  let bytes: number;
  try {
    value = await produce(part);
    const handle = await open(part, "r");
    try {
      await handle.sync();
      bytes = (await handle.stat()).size;
    } finally {
      await handle.close();
    }
    await rename(part, dest);
  } catch (err) {
    await removeQuietly(part);
    throw storageError(err, dest);
  }
  await fsyncDir(dirname(dest));
  return { value, bytes };
}
