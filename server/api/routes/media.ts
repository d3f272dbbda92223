import { stat } from "node:fs/promises";
import path from "node:path";
import type { Response } from "express";
import { HostError } from "../../util/errors.ts";
import type { ApiDeps, MediaDeps } from "../api-deps.ts";
import { attachment } from "../v1/content-disposition.ts";

/** The camera and time-lapse parts; CAMERA when this daemon has none. */
export function mediaOf(deps: ApiDeps): MediaDeps {
  if (deps.media === undefined) throw new HostError("CAMERA", "this daemon has no camera");
  return deps.media;
}

/**
 * A file of the time-lapse folder with HTTP Range support (206 Partial Content, 416 outside the
 * file; phones seek in a video this way), a validator (ETag, Last-Modified), inline or as an
 * attachment named for the video.
 */
export function sendMediaFile(
  res: Response,
  file: string,
  options: { contentType: string; download: boolean; cacheControl?: string },
): Promise<void> {
  return new Promise((resolve, reject) => {
    res.sendFile(
      path.basename(file),
      {
        root: path.dirname(file),
        dotfiles: "deny",
        acceptRanges: true,
        lastModified: true,
        etag: true,
        headers: {
          "Content-Type": options.contentType,
          "Cache-Control": options.cacheControl ?? "private, no-cache",
          ...(options.download ? { "Content-Disposition": attachment(path.basename(file)) } : {}),
        },
      },
      (err) => {
        if (err === undefined || err === null) return resolve();
        const status = (err as { status?: number }).status;
        if (res.headersSent) return resolve(); // the client went away mid-way
        if (status === 404) {
          return reject(new HostError("NOT_FOUND", `no time-lapse ${JSON.stringify(path.basename(file))}`));
        }
        if (status === 416) {
          // RFC 9110 §15.5.17: the current length, so the client can ask again.
          return stat(file).then((info) => {
            res.status(416).set("Content-Range", `bytes */${info.size}`).end();
            resolve();
          }, reject);
        }
        reject(err);
      },
    );
  });
}
