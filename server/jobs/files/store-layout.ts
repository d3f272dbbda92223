import { join } from "node:path";

/** The hidden metadata folder inside the files directory; its leading dot keeps it out of every listing. */
export const META_DIR_NAME = ".layerwatch";

export interface StoreLayout {
  /** The files directory, as a real path (symlinks resolved). */
  root: string;
  /** Temp files of uploads and atomic writes; same filesystem as root, so renames are atomic. Emptied on start. */
  tmpDir: string;
  /** `<hash>.json` analysis sidecars. */
  sidecarDir: string;
  /** `<hash>-<w>x<h>.<png|jpg|qoi>` thumbnails. */
  thumbDir: string;
  /** Relative path → hash index. */
  indexFile: string;
}

export function storeLayout(root: string): StoreLayout {
  const meta = join(root, META_DIR_NAME);
  return {
    root,
    tmpDir: join(meta, "tmp"),
    sidecarDir: join(meta, "analysis"),
    thumbDir: join(meta, "thumbnails"),
    indexFile: join(meta, "index.json"),
  };
}
