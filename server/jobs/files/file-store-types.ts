import type { Logger } from "../../util/log.ts";
import type { Analysis, Thumbnail } from "../analysis/analysis-types.ts";
import type { OpenForWrite } from "./upload-writer.ts";

export interface FileStoreDeps {
  /** The files directory inside the data directory; created by `start()`. */
  root: string;
  log: Logger;
  /** Largest accepted upload; default 1 GiB. */
  maxUploadBytes?: number;
  /** Analyses one G-code file (plain or gzip); production passes the worker-thread analyser. */
  analyze: (path: string) => Promise<Analysis>;
  /** Whether the file at this normalised relative path is the one printing (or paused). */
  isPrinting: (relPath: string) => boolean;
  /** Creates an upload's temp file; defaults to `open(path, "wx")`. A seam for disk-full tests. */
  openForWrite?: OpenForWrite;
}

/** A thumbnail written next to the metadata as `<hash>-<w>x<h>.<format>`. */
export interface StoredThumbnail {
  width: number;
  height: number;
  format: Thumbnail["format"];
  bytes: number;
  /** File name inside the thumbnail folder. */
  file: string;
  /** Absolute path of the image, resolved when the metadata is read. */
  path: string;
}

/** The analyser's result as stored: thumbnails are files, not inline bytes. */
export type StoredAnalysis = Omit<Analysis, "thumbnails"> & { thumbnails: StoredThumbnail[] };

/** The analysis of one content hash: queued or running, done, or failed (the file itself is kept). */
export type AnalysisState =
  | { status: "pending" }
  | { status: "ready"; analyzedAt: string; analysis: StoredAnalysis }
  | { status: "failed"; analyzedAt: string; error: string };

export interface FileEntry {
  type: "file";
  /** Last path segment, e.g. `benchy.gcode`. */
  name: string;
  /** Normalised relative path with `/` between folders, e.g. `parts/benchy.gcode`. */
  path: string;
  size: number;
  modifiedMs: number;
  /** SHA-256 of the content, lower-case hex. */
  hash: string;
  analysis: AnalysisState;
}

export interface FolderEntry {
  type: "folder";
  name: string;
  path: string;
  modifiedMs: number;
}

export type StoreEntry = FileEntry | FolderEntry;

/** What `save()` returns: the file as listed right after it was stored. */
export type StoredFile = FileEntry;

export interface SaveOptions {
  /** Replace an existing file (never the one printing). Default false: an existing file is CONFLICT. */
  overwrite?: boolean;
  /** Size the client announced (Content-Length): over the limit is TOO_LARGE before any byte is read. */
  declaredBytes?: number;
}

export interface ListOptions {
  /** Include everything below the folder, not only its direct children. */
  recursive?: boolean;
}

export interface DeleteOptions {
  /** Delete a folder with its content; without it only an empty folder is deleted. */
  recursive?: boolean;
}
