import type { Stats } from "node:fs";
import { lstat } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { HostError } from "../../util/errors.ts";
import { errnoCode, storageError } from "../../util/fs-util.ts";

/**
 * `relPath` (already normalised by file-name.ts) joined to `root` (a real path, no symlinks). Defence in
 * depth: BAD_NAME if `path.resolve` lands outside root, which a normalised name never does.
 */
export function resolveInside(root: string, relPath: string): string {
  const abs = resolve(root, relPath);
  if (abs !== root && !abs.startsWith(root + sep)) {
    throw new HostError("BAD_NAME", `${JSON.stringify(relPath)} leads outside the files directory`, {
      name: relPath,
    });
  }
  return abs;
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") return null;
    throw storageError(err, path);
  }
}

/**
 * lstat of each component of `relPath` below `root`, so no symbolic link is ever followed: a link
 * anywhere on the path is BAD_NAME (links could lead out of the files directory; the store manages
 * regular files and folders only), a file where a folder is needed is CONFLICT. Returns the stats of
 * the last component, or null when it (or a folder above it) does not exist.
 */
export async function inspectPath(root: string, relPath: string): Promise<Stats | null> {
  const segments = relPath.split("/");
  resolveInside(root, relPath);
  let current = root;
  for (const [i, segment] of segments.entries()) {
    current = join(current, segment);
    const stats = await lstatOrNull(current);
    if (stats === null) return null;
    const prefix = segments.slice(0, i + 1).join("/");
    if (stats.isSymbolicLink()) {
      throw new HostError(
        "BAD_NAME",
        `${JSON.stringify(prefix)} is a symbolic link; the file store does not follow links`,
        { name: relPath },
      );
    }
    if (i === segments.length - 1) return stats;
    if (!stats.isDirectory()) {
      throw new HostError("CONFLICT", `${JSON.stringify(prefix)} is a file, not a folder`, { name: relPath });
    }
  }
  return null;
}
