import type {
  AnalysisState,
  FileEntry,
  FolderEntry,
  StoredAnalysis,
  StoreEntry,
} from "../../jobs/files/file-store-types.ts";
import type { AnalysisDto, FileDetailDto, FileDto, FolderDto } from "../contract.ts";
import { filesUrl } from "./request-input.ts";

/** The analysis once it is ready; null while pending or when it failed. */
export function readyAnalysis(state: AnalysisState): StoredAnalysis | null {
  return state.status === "ready" ? state.analysis : null;
}

export function analysisDto(state: AnalysisState): AnalysisDto {
  if (state.status === "pending") return { status: "pending" };
  if (state.status === "failed")
    return { status: "failed", analyzedAt: state.analyzedAt, error: state.error };
  const a = state.analysis;
  return {
    status: "ready",
    analyzedAt: state.analyzedAt,
    estimatedSeconds: a.estimatedSeconds,
    heatUpSeconds: a.heatUpSeconds,
    totalSeconds: a.totalSeconds,
    layers: a.layers,
    filamentMm: a.filamentMm,
    boundingBox: a.objectBoundingBox ?? a.boundingBox,
    slicer: {
      generator: a.slicer.generator,
      estimatedSeconds: a.slicer.estimatedSeconds,
      filamentMm: a.slicer.filamentMm,
      filamentG: a.slicer.filamentG,
    },
    lines: a.lines,
    longestLine: a.longestLine.length,
  };
}

export function fileDto(entry: FileEntry, printing: boolean): FileDto {
  const thumbnails = (readyAnalysis(entry.analysis)?.thumbnails ?? []).map((t) => ({
    width: t.width,
    height: t.height,
    format: t.format,
    url: filesUrl(entry.path, `/thumbnail?size=${t.width}x${t.height}`),
  }));
  return {
    type: "file",
    name: entry.name,
    path: entry.path,
    size: entry.size,
    modifiedMs: entry.modifiedMs,
    hash: entry.hash,
    analysis: analysisDto(entry.analysis),
    thumbnails,
    printing,
  };
}

export function fileDetailDto(entry: FileEntry, printing: boolean): FileDetailDto {
  const layers =
    readyAnalysis(entry.analysis)?.layerIndex.map((l) => ({
      z: l.z,
      height: l.height,
      startSeconds: l.startSeconds,
    })) ?? null;
  return { ...fileDto(entry, printing), layers };
}

export function folderDto(entry: FolderEntry): FolderDto {
  return { type: "folder", name: entry.name, path: entry.path, modifiedMs: entry.modifiedMs };
}

export function entryDto(entry: StoreEntry, printingFile: string | null): FileDto | FolderDto {
  return entry.type === "folder" ? folderDto(entry) : fileDto(entry, entry.path === printingFile);
}
