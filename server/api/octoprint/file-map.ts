import type {
  FileEntry,
  FolderEntry,
  StoredAnalysis,
  StoreEntry,
} from "../../jobs/files/file-store-types.ts";
import type { JobRecord } from "../../jobs/history/types.ts";

/**
 * File and folder items of OctoPrint's `/api/files` (pre-2.0 shapes). Everything lives on the
 * `local` origin; there is no SD card. URLs are absolute, as OctoPrint makes them (`_external=True`).
 */

/** Filament is 1.75 mm unless the slicer says otherwise: OctoPrint's default profile diameter. */
const FILAMENT_DIAMETER_MM = 1.75;

export interface Refs {
  resource: string;
  download?: string;
}

export interface GcodeAnalysis {
  estimatedPrintTime: number;
  filament: Record<string, { length: number; volume: number }>;
  dimensions?: { width: number; depth: number; height: number };
  printingArea?: { minX: number; minY: number; minZ: number; maxX: number; maxY: number; maxZ: number };
}

export interface PrintStats {
  success: number;
  failure: number;
  last: { date: number; success: boolean; printTime: number | null };
}

export interface OctoFileItem {
  name: string;
  display: string;
  path: string;
  type: "machinecode";
  typePath: ["machinecode", "gcode"];
  origin: "local";
  size: number;
  date: number;
  hash: string;
  refs: Refs;
  gcodeAnalysis?: GcodeAnalysis;
  prints?: PrintStats;
}

export interface OctoFolderItem {
  name: string;
  display: string;
  path: string;
  type: "folder";
  typePath: ["folder"];
  origin: "local";
  date: number;
  refs: Refs;
  children?: OctoItem[];
}

export type OctoItem = OctoFileItem | OctoFolderItem;

/** Each segment percent-encoded, `/` kept. */
export function encodePath(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function fileRefs(base: string, path: string): Required<Refs> {
  return {
    resource: `${base}/api/files/local/${encodePath(path)}`,
    download: `${base}/downloads/files/local/${encodePath(path)}`,
  };
}

function rounded(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Per tool: length in mm, volume in cm³ (the slicer's when it wrote one, else from 1.75 mm filament). */
export function filamentOf(analysis: StoredAnalysis): Record<string, { length: number; volume: number }> {
  const result: Record<string, { length: number; volume: number }> = {};
  const area = Math.PI * (FILAMENT_DIAMETER_MM / 2) ** 2;
  analysis.filamentMm.forEach((length, tool) => {
    if (length <= 0) return;
    const volume = analysis.slicer.filamentCm3?.[tool] ?? (length * area) / 1000;
    result[`tool${tool}`] = { length: rounded(length), volume: rounded(volume, 3) };
  });
  return result;
}

export function gcodeAnalysis(analysis: StoredAnalysis): GcodeAnalysis {
  const result: GcodeAnalysis = {
    estimatedPrintTime: Math.round(analysis.totalSeconds),
    filament: filamentOf(analysis),
  };
  const box = analysis.objectBoundingBox ?? analysis.boundingBox;
  if (box !== null) {
    result.dimensions = {
      width: rounded(box.maxX - box.minX),
      depth: rounded(box.maxY - box.minY),
      height: rounded(box.maxZ - box.minZ),
    };
    result.printingArea = {
      minX: rounded(box.minX),
      minY: rounded(box.minY),
      minZ: rounded(box.minZ),
      maxX: rounded(box.maxX),
      maxY: rounded(box.maxY),
      maxZ: rounded(box.maxZ),
    };
  }
  return result;
}

/** `prints` per file path from the job history (newest first, as listed). */
export function printStats(jobs: readonly JobRecord[]): Map<string, PrintStats> {
  const stats = new Map<string, PrintStats>();
  for (const job of jobs) {
    if (job.result === null || job.endedAt === null) continue;
    const success = job.result === "done";
    let entry = stats.get(job.file);
    if (entry === undefined) {
      entry = {
        success: 0,
        failure: 0,
        last: {
          date: Math.floor(job.endedAt / 1000),
          success,
          printTime: job.durationMs === null ? null : rounded(job.durationMs / 1000),
        },
      };
      stats.set(job.file, entry);
    }
    if (success) entry.success++;
    else entry.failure++;
  }
  return stats;
}

export function fileItem(entry: FileEntry, base: string, prints?: PrintStats): OctoFileItem {
  const item: OctoFileItem = {
    name: entry.name,
    display: entry.name,
    path: entry.path,
    type: "machinecode",
    typePath: ["machinecode", "gcode"],
    origin: "local",
    size: entry.size,
    date: Math.floor(entry.modifiedMs / 1000),
    hash: entry.hash,
    refs: fileRefs(base, entry.path),
  };
  if (entry.analysis.status === "ready") item.gcodeAnalysis = gcodeAnalysis(entry.analysis.analysis);
  if (prints !== undefined) item.prints = prints;
  return item;
}

export function folderItem(entry: FolderEntry, base: string, children?: OctoItem[]): OctoFolderItem {
  return {
    name: entry.name,
    display: entry.name,
    path: entry.path,
    type: "folder",
    typePath: ["folder"],
    origin: "local",
    date: Math.floor(entry.modifiedMs / 1000),
    refs: { resource: `${base}/api/files/local/${encodePath(entry.path)}` },
    ...(children !== undefined ? { children } : {}),
  };
}

function parentOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "" : path.slice(0, slash);
}

/**
 * Items of `folder` ("" for the root) nested from a flat listing, sorted by path. Folders get their
 * `children` down to `depth` levels below `folder` (Infinity: the whole tree); deeper folders have
 * none, as in OctoPrint's non-recursive listing.
 */
export function itemTree(
  entries: readonly StoreEntry[],
  folder: string,
  base: string,
  stats: ReadonlyMap<string, PrintStats>,
  depth: number,
): OctoItem[] {
  const byParent = new Map<string, StoreEntry[]>();
  for (const entry of entries) {
    const parent = parentOf(entry.path);
    const siblings = byParent.get(parent);
    if (siblings === undefined) byParent.set(parent, [entry]);
    else siblings.push(entry);
  }
  const build = (dir: string, level: number): OctoItem[] =>
    (byParent.get(dir) ?? []).map((entry) =>
      entry.type === "file"
        ? fileItem(entry, base, stats.get(entry.path))
        : folderItem(entry, base, level < depth ? build(entry.path, level + 1) : undefined),
    );
  return build(folder, 0);
}
