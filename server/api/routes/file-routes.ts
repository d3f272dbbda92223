import { open } from "node:fs/promises";
import { z } from "zod";
import type { StoredThumbnail } from "../../jobs/files/file-store-types.ts";
import { HostError } from "../../util/errors.ts";
import { errnoCode } from "../../util/fs-util.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { FilesResponse } from "../contract.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { sendDownload, sendStream } from "../shared/file-download.ts";
import { entryDto, fileDetailDto, readyAnalysis } from "../v1/file-dto.ts";
import { pathParam, QUERY_BOOLEAN, queryOf } from "../v1/request-input.ts";

const LIST = z.strictObject({
  folder: z.string().max(1024).optional(),
  recursive: QUERY_BOOLEAN.optional(),
});
const THUMBNAIL = z.strictObject({
  size: z
    .string()
    .regex(/^\d{1,4}x\d{1,4}$/, "expected WIDTHxHEIGHT, e.g. 220x124")
    .optional(),
});

const IMAGE_TYPES: Record<StoredThumbnail["format"], string> = {
  png: "image/png",
  jpg: "image/jpeg",
  qoi: "image/qoi",
};

/** The thumbnail of exactly `size`, else the largest. */
function pickThumbnail(
  thumbnails: readonly StoredThumbnail[],
  size: string | undefined,
): StoredThumbnail | null {
  if (size !== undefined) return thumbnails.find((t) => `${t.width}x${t.height}` === size) ?? null;
  return [...thumbnails].sort((a, b) => b.width * b.height - a.width * a.height)[0] ?? null;
}

/** Reading the file store (`files:read`): list, one file with its analysis, thumbnail, download. */
export function fileRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { files, engine } = deps;
  const printingFile = (): string | null => engine.snapshot().job?.file ?? null;

  routes.add({
    method: "get",
    path: "/api/v1/files",
    access: "files:read",
    summary: "Files and folders of ?folder= (default the root), ?recursive=true for everything below",
    handler: async ({ req, res }) => {
      const query = queryOf(req, LIST);
      const folder = query.folder ?? "";
      const entries = await files.list(folder, { recursive: query.recursive === true });
      const printing = printingFile();
      const body: FilesResponse = { folder, entries: entries.map((e) => entryDto(e, printing)) };
      res.json(body);
    },
  });

  // Registered before /files/*path, which would otherwise take the suffix as part of the name.
  routes.add({
    method: "get",
    path: "/api/v1/files/*path/thumbnail",
    access: "files:read",
    summary: "The file's thumbnail image (?size=WxH, default the largest)",
    handler: async ({ req, res }) => {
      const { size } = queryOf(req, THUMBNAIL);
      const entry = await files.get(pathParam(req));
      const thumbnail = pickThumbnail(readyAnalysis(entry.analysis)?.thumbnails ?? [], size);
      if (thumbnail === null)
        throw new HostError(
          "NOT_FOUND",
          `${JSON.stringify(entry.path)} has no thumbnail${size === undefined ? "" : ` of ${size}`}${
            entry.analysis.status === "pending" ? " yet (its analysis is running)" : ""
          }`,
        );
      let handle: Awaited<ReturnType<typeof open>>;
      try {
        handle = await open(thumbnail.path, "r");
      } catch (err) {
        if (errnoCode(err) === "ENOENT")
          throw new HostError("NOT_FOUND", `the thumbnail of ${entry.path} is gone`);
        throw err;
      }
      const stream = handle.createReadStream();
      res.set({
        "Content-Type": IMAGE_TYPES[thumbnail.format],
        "Content-Length": String(thumbnail.bytes),
        "Cache-Control": "private, no-cache",
      });
      await sendStream(res, stream);
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/files/*path/download",
    access: "files:read",
    summary: "The file's bytes, as an attachment",
    handler: async ({ req, res }) => {
      await sendDownload(res, files, pathParam(req), {
        contentType: (name) => (name.toLowerCase().endsWith(".gz") ? "application/gzip" : "text/x.gcode"),
        cacheControl: "private, no-cache",
      });
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/files/*path",
    access: "files:read",
    summary: "One file: size, hash, analysis (estimate, filament, layers), thumbnails",
    handler: async ({ req, res }) => {
      const entry = await files.get(pathParam(req));
      res.json(fileDetailDto(entry, entry.path === printingFile()));
    },
  });
}
