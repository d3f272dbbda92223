import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import type { Readable } from "node:stream";
import { HostError } from "../../util/errors.ts";
import { removeQuietly, storageError } from "../../util/fs-util.ts";

/** The part of `fs.promises.FileHandle` an upload writes through. */
export interface WriteTarget {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Creates the temp file an upload streams into; must fail if `path` exists. */
export type OpenForWrite = (path: string) => Promise<WriteTarget>;

export const openExclusive: OpenForWrite = (path) => open(path, "wx", 0o644);

export interface UploadLimits {
  maxBytes: number;
  /** The file's name, for messages. */
  label: string;
  openForWrite: OpenForWrite;
}

export interface UploadResult {
  /** SHA-256 of the content, lower-case hex. */
  hash: string;
  size: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;

/** `1 GiB`, `2.5 MiB`, `900 bytes` (binary units). */
export function formatLimit(bytes: number): string {
  const round = (n: number) => Math.round(n * 100) / 100;
  if (bytes >= GIB) return `${round(bytes / GIB)} GiB`;
  if (bytes >= MIB) return `${round(bytes / MIB)} MiB`;
  return `${bytes} bytes`;
}

export function tooLarge(label: string, maxBytes: number): HostError {
  return new HostError(
    "TOO_LARGE",
    `${JSON.stringify(label)} is larger than the upload limit of ${formatLimit(maxBytes)}`,
    { name: label, maxBytes },
  );
}

function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === "string") return Buffer.from(chunk, "utf8");
  throw new TypeError(`an upload stream must yield bytes, got ${typeof chunk}`);
}

async function writeAll(target: WriteTarget, bytes: Buffer, label: string): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    let written: number;
    try {
      ({ bytesWritten: written } = await target.write(bytes, offset, bytes.length - offset));
    } catch (err) {
      throw storageError(err, label);
    }
    // A regular file only takes no bytes when the device has no room left.
    if (written <= 0)
      throw storageError(Object.assign(new Error("no bytes written"), { code: "ENOSPC" }), label);
    offset += written;
  }
}

/**
 * Streams `body` into a new file at `tempPath` one chunk at a time (each chunk is written before the
 * next is read, so memory stays at the stream's own buffer), hashing as it goes; stops at `maxBytes`
 * with TOO_LARGE, and fsyncs. On any failure the temp file is removed and `body` destroyed; disk errors
 * are STORAGE (see `storageError`), errors of `body` itself are rethrown as they are.
 */
export async function writeUpload(
  body: Readable,
  tempPath: string,
  limits: UploadLimits,
): Promise<UploadResult> {
  const { maxBytes, label } = limits;
  let target: WriteTarget;
  try {
    target = await limits.openForWrite(tempPath);
  } catch (err) {
    body.destroy();
    throw storageError(err, label);
  }
  const hash = createHash("sha256");
  let size = 0;
  try {
    // Leaving the loop early (throw) destroys `body`.
    for await (const chunk of body) {
      const bytes = asBuffer(chunk);
      size += bytes.length;
      if (size > maxBytes) throw tooLarge(label, maxBytes);
      hash.update(bytes);
      await writeAll(target, bytes, label);
    }
    await target.sync().catch((err: unknown) => Promise.reject(storageError(err, label)));
  } catch (err) {
    await target.close().catch(() => undefined);
    await removeQuietly(tempPath);
    throw err;
  }
  try {
    await target.close();
  } catch (err) {
    await removeQuietly(tempPath);
    throw storageError(err, label);
  }
  return { hash: hash.digest("hex"), size };
}
