import busboy from "busboy";
import type { Request } from "express";
import type { FileStore } from "../../jobs/files/file-store.ts";
import type { StoredFile } from "../../jobs/files/file-store-types.ts";
import { HostError, isHostError } from "../../util/errors.ts";

/**
 * A multipart/form-data upload streamed into the file store (busboy: nothing is buffered in memory
 * or written anywhere but the store's own temp file). Shared by the own API and the OctoPrint
 * compatible `POST /api/files/local`.
 */

/** Where the file part goes. */
export interface UploadTarget {
  /** Relative path in the store (the store normalises and checks it). */
  path: string;
  overwrite: boolean;
}

export interface MultipartOptions {
  /** The form field that carries the file (`file`); other file parts are read and dropped. */
  fileField: string;
  /**
   * Decides where the file part goes from the text fields sent before it and the part's own
   * filename. A HostError thrown here refuses the upload before any byte is stored.
   */
  target: (fields: ReadonlyMap<string, string>, filename: string) => UploadTarget;
}

export interface MultipartUpload {
  /** Text fields by name (the first of a repeated name). */
  fields: Map<string, string>;
  /** The stored file; null when the form had no file part. */
  stored: StoredFile | null;
  /** Names of text fields that came after the file part, which `target` could not see. */
  lateFields: string[];
}

/** Text fields are form flags and paths, never content. */
const LIMITS = { fieldNameSize: 200, fieldSize: 64 * 1024, fields: 100, parts: 200 };

/**
 * Reads the request's multipart body, storing the `fileField` part through `files.save` as it
 * arrives. Rejects with INVALID_INPUT for a body that is not multipart or is malformed, and with the
 * store's errors (BAD_NAME, UNSUPPORTED_FILE, TOO_LARGE, CONFLICT, BUSY, STORAGE). On an error the
 * rest of the body is not read: the response closes the connection (`Connection: close`).
 */
export function receiveMultipart(
  req: Request,
  files: FileStore,
  options: MultipartOptions,
): Promise<MultipartUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      // preservePath: a hostile part name (`../x.gcode`) reaches the store's checks whole, not cut short.
      parser = busboy({ headers: req.headers, preservePath: true, defParamCharset: "utf8", limits: LIMITS });
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      reject(new HostError("INVALID_INPUT", `send the upload as multipart/form-data (${why})`));
      return;
    }
    const fields = new Map<string, string>();
    const lateFields: string[] = [];
    const declared = Number(req.headers["content-length"]);
    let fileSeen = false;
    let saving: Promise<StoredFile | null> = Promise.resolve(null);
    let settled = false;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      req.unpipe(parser);
      req.res?.set("Connection", "close");
      parser.destroy();
      reject(err);
    };
    const malformed = (why: string) =>
      fail(new HostError("INVALID_INPUT", `the multipart body is malformed: ${why}`));

    parser.on("field", (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) {
        fail(new HostError("INVALID_INPUT", `form field ${JSON.stringify(name)} is too long`));
        return;
      }
      if (fileSeen) lateFields.push(name);
      if (!fields.has(name)) fields.set(name, value);
    });
    parser.on("file", (name, stream, info) => {
      // Stopping the parser destroys a part still open with an error; the store reports its own.
      stream.on("error", () => undefined);
      if (name !== options.fileField || fileSeen) {
        stream.resume();
        return;
      }
      fileSeen = true;
      let target: UploadTarget;
      try {
        target = options.target(fields, info.filename ?? "");
      } catch (err) {
        stream.resume();
        fail(err);
        return;
      }
      saving = files
        .save(target.path, stream, {
          overwrite: target.overwrite,
          ...(Number.isFinite(declared) ? { declaredBytes: declared } : {}),
        })
        .catch((err: unknown) => {
          fail(err);
          return null;
        });
    });
    parser.on("partsLimit", () => malformed(`more than ${LIMITS.parts} parts`));
    parser.on("fieldsLimit", () => malformed(`more than ${LIMITS.fields} fields`));
    parser.on("error", (err: unknown) => {
      if (isHostError(err)) fail(err);
      else malformed(err instanceof Error ? err.message : String(err));
    });
    parser.on("close", () => {
      void saving.then((stored) => {
        if (settled) return;
        settled = true;
        resolve({ fields, stored, lateFields });
      });
    });
    req.on("close", () => {
      if (!req.complete) fail(new HostError("INVALID_INPUT", "the upload was interrupted"));
    });
    req.pipe(parser);
  });
}
