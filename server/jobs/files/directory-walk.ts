import type { Dirent, Stats } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { errnoCode, storageError } from "../../util/fs-util.ts";
import type { Logger } from "../../util/log.ts";
import { normalizeFilePath, normalizeFolderPath } from "./file-name.ts";
import { resolveInside } from "./safe-path.ts";

export interface WalkEntry {
  type: "file" | "folder";
  /** Normalised relative path. */
  path: string;
  name: string;
  stats: Stats;
}

/** Whether `path` is exactly what the name rules produce, so every listed path can be passed back in. */
function isListable(path: string, type: WalkEntry["type"]): boolean {
  try {
    return (type === "file" ? normalizeFilePath(path) : normalizeFolderPath(path)) === path;
  } catch {
    return false;
  }
}

/**
 * The entries of `folder` ("" for root), and with `recursive` everything below it. Only regular files
 * and folders whose names pass file-name.ts are listed: symbolic links, sockets, hidden entries (the
 * metadata folder among them), non-G-code files and names that are not NFC (written by hand, e.g. over
 * SMB from macOS) are skipped.
 */
export async function walk(
  root: string,
  folder: string,
  recursive: boolean,
  log: Logger,
): Promise<WalkEntry[]> {
  const dir = folder === "" ? root : resolveInside(root, folder);
  let dirents: Dirent[];
  try {
    dirents = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    const code = errnoCode(err);
    if (code === "ENOENT" || code === "ENOTDIR") return [];
    throw storageError(err, dir);
  }
  const entries: WalkEntry[] = [];
  for (const dirent of dirents) {
    const type = dirent.isFile() ? "file" : dirent.isDirectory() ? "folder" : null;
    const path = folder === "" ? dirent.name : `${folder}/${dirent.name}`;
    if (type === null || !isListable(path, type)) {
      if (!dirent.name.startsWith(".")) log.debug({ path }, "not listed: not a G-code file or folder");
      continue;
    }
    let stats: Stats;
    try {
      stats = await lstat(resolveInside(root, path));
    } catch (err) {
      if (errnoCode(err) === "ENOENT") continue; // removed while listing
      throw storageError(err, path);
    }
    entries.push({ type, path, name: dirent.name, stats });
    if (type === "folder" && recursive) entries.push(...(await walk(root, path, true, log)));
  }
  return entries;
}
