import type { Analysis, BoundingBox, LayerInfo, SlicerMetadata } from "../../jobs/analysis/analysis-types.ts";
import type { FileEntry, FolderEntry, StoredThumbnail } from "../../jobs/files/file-store-types.ts";

/** The file store (/api/v1/files, /api/v1/folders). */

/**
 * A file's analysis. Unlike the stored analysis: `boundingBox` is the object's (without start and
 * end G-code) when known, `longestLine` is its length, and of the slicer's figures only those shown.
 */
export type AnalysisDto =
  | { status: "pending" }
  | { status: "failed"; analyzedAt: string; error: string }
  | (Pick<
      Analysis,
      "estimatedSeconds" | "heatUpSeconds" | "totalSeconds" | "layers" | "filamentMm" | "lines"
    > & {
      status: "ready";
      analyzedAt: string;
      boundingBox: BoundingBox | null;
      slicer: Pick<SlicerMetadata, "generator" | "estimatedSeconds" | "filamentMm" | "filamentG">;
      /** Characters of the longest command. */
      longestLine: number;
    });

export interface ThumbnailDto extends Pick<StoredThumbnail, "width" | "height" | "format"> {
  /** GET this for the image. */
  url: string;
}

/** A stored file; unlike FileEntry, with its analysis as shown, thumbnail URLs and whether it prints. */
export interface FileDto extends Omit<FileEntry, "analysis"> {
  analysis: AnalysisDto;
  thumbnails: ThumbnailDto[];
  /** The file is printing (it cannot be deleted, moved or replaced). */
  printing: boolean;
}

/** One file with its layers (for "resume from layer" and the layer slider). */
export interface FileDetailDto extends FileDto {
  layers: Pick<LayerInfo, "z" | "height" | "startSeconds">[] | null;
}

export type FolderDto = FolderEntry;

export interface FilesResponse {
  /** The folder listed; "" for the root. */
  folder: string;
  entries: (FileDto | FolderDto)[];
}

export interface MoveRequest {
  from: string;
  to: string;
}

export interface FolderRequest {
  path: string;
}
