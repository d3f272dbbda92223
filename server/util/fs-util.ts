import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { HostError } from "./errors.ts";

/** The `code` of a Node system error (`ENOENT`, `ENOSPC`, ...), if it has one. */
export function errnoCode(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null || !("code" in err)) return undefined;
  return typeof err.code === "string" ? err.code : undefined;
}

/**
 * A filesystem error from writing `what` (a path, quoted in the message) as a STORAGE HostError when it
 * is about the disk or the directory (full, over quota, read-only, no permission, I/O error); anything
 * else is returned unchanged.
 */
export function storageError(err: unknown, what: string): unknown {
  if (err instanceof HostError) return err;
  const code = errnoCode(err);
  if (code === "ENOSPC" || code === "EDQUOT") {
    return new HostError("STORAGE", `the disk is full: cannot write ${JSON.stringify(what)}`, { code });
  }
  if (code === "EROFS" || code === "EACCES" || code === "EPERM" || code === "EIO") {
    const reason = err instanceof Error ? err.message : code;
    return new HostError("STORAGE", `cannot write ${JSON.stringify(what)}: ${reason}`, { code });
  }
  return err;
}

/** A fresh name for a temporary file in `tmpDir`. */
export function tempPath(tmpDir: string, suffix = ".part"): string {
  return join(tmpDir, `${randomUUID()}${suffix}`);
}

/** Removes a file or folder tree; missing is fine. */
export async function removeQuietly(path: string): Promise<void> {
  await rm(path, { force: true, recursive: true });
}

/**
 * Makes a rename or unlink in `dir` durable (fsync of the directory). Filesystems that cannot fsync a
 * directory (EINVAL, EISDIR, EPERM on some FUSE/SMB mounts) are left as they are.
 */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } catch (err) {
    const code = errnoCode(err);
    if (code !== "EINVAL" && code !== "EISDIR" && code !== "EPERM") throw err;
  } finally {
    await handle.close();
  }
}

/**
 * Replaces `dest` with `data` so a crash leaves the old or the new content, never a mix: write to a temp
 * file in `tmpDir` (same filesystem), fsync, rename, fsync the directory. Disk errors become STORAGE.
 */
export async function writeFileAtomic(tmpDir: string, dest: string, data: string | Buffer): Promise<void> {
  const tmp = tempPath(tmpDir, ".tmp");
  try {
    const handle = await open(tmp, "wx", 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, dest);
  } catch (err) {
    await removeQuietly(tmp);
    throw storageError(err, dest);
  }
  await fsyncDir(dirname(dest));
}

/** SHA-256 of a file's content, lower-case hex, read as a stream. */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** gzip member header magic, RFC 1952 §2.3.1. */
export function hasGzipMagic(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** Whether the file at `path` starts like a gzip stream. */
export async function isGzipFile(path: string): Promise<boolean> {
  const handle = await open(path, "r");
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await handle.read(head, 0, 2, 0);
    return hasGzipMagic(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
