import { statfs } from "node:fs/promises";

/** Bytes free for this process on the filesystem holding `dir` (statfs; blocks available to unprivileged users). */
export async function freeBytes(dir: string): Promise<number> {
  const stats = await statfs(dir);
  return stats.bavail * stats.bsize;
}
