import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Response } from "express";
import type { FileStore } from "../../jobs/files/file-store.ts";
import { attachment } from "../v1/content-disposition.ts";

/** Streams `body` as the response; a client that goes away mid-way only ends the stream. */
export async function sendStream(res: Response, body: Readable): Promise<void> {
  try {
    await pipeline(body, res);
  } catch (err) {
    if (!res.headersSent) throw err;
    res.destroy();
  }
}

/** The headers in which the two APIs' downloads differ. */
export interface DownloadHeaders {
  /** Content-Type for the file's name. */
  contentType: (name: string) => string;
  cacheControl: string;
}

/**
 * The stored file at `path` (NOT_FOUND when missing) as an attachment: its exact length, its name
 * (content-disposition.ts), streamed as it is read.
 */
export async function sendDownload(
  res: Response,
  files: FileStore,
  path: string,
  headers: DownloadHeaders,
): Promise<void> {
  const entry = await files.get(path);
  const body = await files.open(entry.path);
  res.set({
    "Content-Type": headers.contentType(entry.name),
    "Content-Length": String(entry.size),
    "Content-Disposition": attachment(entry.name),
    "Cache-Control": headers.cacheControl,
  });
  await sendStream(res, body);
}
