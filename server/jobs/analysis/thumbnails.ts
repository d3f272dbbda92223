import type { Thumbnail } from "./analysis-types.ts";

/** A base64 block larger than this is dropped, so a malformed file cannot grow memory without bound. */
export const MAX_THUMBNAIL_BASE64 = 4 * 1024 * 1024;

const BEGIN = /^;\s*thumbnail(?:_(PNG|JPG|QOI))?\s+begin\s+(\d+)x(\d+)\s+(\d+)/i;
const END = /^;\s*thumbnail(?:_(?:PNG|JPG|QOI))?\s+end/i;

/**
 * Collects PrusaSlicer-style thumbnail blocks (`; thumbnail begin 16x16 1234`, base64 lines as comments,
 * `; thumbnail end`; `thumbnail_JPG`/`thumbnail_QOI` variants since PrusaSlicer 2.4).
 */
export class ThumbnailCollector {
  readonly thumbnails: Thumbnail[] = [];
  private current: {
    width: number;
    height: number;
    format: Thumbnail["format"];
    parts: string[];
    size: number;
  } | null = null;

  /** Feeds one comment line; returns true when the line belonged to a thumbnail block. */
  feed(comment: string): boolean {
    if (this.current === null) {
      const begin = BEGIN.exec(comment);
      if (!begin) return false;
      const kind = (begin[1] ?? "PNG").toLowerCase();
      this.current = {
        width: Number(begin[2]),
        height: Number(begin[3]),
        format: kind === "jpg" ? "jpg" : kind === "qoi" ? "qoi" : "png",
        parts: [],
        size: 0,
      };
      return true;
    }
    if (END.test(comment)) {
      const { width, height, format, parts, size } = this.current;
      if (size <= MAX_THUMBNAIL_BASE64) {
        this.thumbnails.push({ width, height, format, data: Buffer.from(parts.join(""), "base64") });
      }
      this.current = null;
      return true;
    }
    const chunk = comment.replace(/^;\s*/, "").trim();
    this.current.size += chunk.length;
    if (this.current.size <= MAX_THUMBNAIL_BASE64) this.current.parts.push(chunk);
    return true;
  }
}
