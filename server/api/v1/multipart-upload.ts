import busboy from "busboy";
import type { Request } from "express";
import type { FileStore } from "../../jobs/files/file-store.ts";
import type { StoredFile } from "../../jobs/files/file-store-types.ts";
import { HostError } from "../../util/errors.ts";

/** Form fields an upload may carry besides `file`; they must come before it (the file is streamed). */
const FIELDS = new Set(["path", "overwrite"]);

function badForm(message: string): HostError {
  return new HostError("INVALID_INPUT", `multipart upload: ${message}`);
}

function booleanField(value: string): boolean {
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0" || value === "") return false;
  throw badForm(`overwrite: expected true or false, got ${JSON.stringify(value.slice(0, 20))}`);
}

/** The part's file name inside the folder of the `path` field (the store validates both). */
function targetName(folder: string, filename: string): string {
  const trimmed = folder.replace(/\/+$/, "");
  return trimmed === "" ? filename : `${trimmed}/${filename}`;
}

/**
 * Streams a `multipart/form-data` upload straight into the file store: fields `path` (a folder, default
 * the root) and `overwrite` first, then the one `file` part. Nothing is buffered in memory and nothing
 * partial is ever visible: the store writes to a temp file and renames it into place only when the
 * part ended cleanly. The part's file name is kept whole (`preservePath`), so a hostile name reaches the
 * store's checks (BAD_NAME) instead of being cut to its last segment. Content-Length, when sent, is the
 * declared size: over the store's limit it is TOO_LARGE before a byte is read.
 */
export function receiveUpload(req: Request, files: FileStore): Promise<StoredFile> {
  const type = req.headers["content-type"] ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type))
    throw new HostError(
      "UNSUPPORTED_FILE",
      "send the upload as multipart/form-data with the file in a part named `file`",
    );
  const length = Number(req.headers["content-length"]);
  const declaredBytes = Number.isSafeInteger(length) && length >= 0 ? length : undefined;

  return new Promise<StoredFile>((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        preservePath: true,
        defParamCharset: "utf8",
        limits: { files: 1, fields: 8, fieldSize: 4096, parts: 10 },
      });
    } catch (err) {
      reject(badForm((err as Error).message));
      return;
    }
    const fields = new Map<string, string>();
    let overwrite = false;
    let saving: Promise<StoredFile> | null = null;
    let fileStream: NodeJS.ReadableStream | null = null;
    let failure: unknown = null;
    let settled = false;

    /** The form's end, or its first failure: answer once the store is done with what it started. */
    const finish = (): void => {
      if (settled) return;
      settled = true;
      const first = failure;
      const task = saving;
      if (task === null) {
        reject(first ?? badForm("no part named `file`"));
      } else if (first === null) {
        task.then(resolve, reject);
      } else {
        // Stored before the form turned out bad (a field after the file): a new file is removed again.
        const undo = (stored: StoredFile) => (overwrite ? Promise.resolve() : files.delete(stored.path));
        void task
          .then(undo)
          .catch(() => undefined)
          .then(() => reject(first));
      }
    };
    const fail = (err: unknown): void => {
      if (failure === null) failure = err;
      // Stop reading: the rest of the body is not wanted (the answer closes the connection). Destroying
      // the parser ends the file part with an error, which the store may no longer be listening for.
      fileStream?.on("error", () => undefined);
      req.unpipe(parser);
      parser.destroy();
      finish();
    };

    parser.on("field", (name, value) => {
      if (failure !== null) return;
      if (saving !== null) fail(badForm(`the field \`${name}\` must come before the file part`));
      else if (!FIELDS.has(name)) fail(badForm(`unknown field \`${name}\` (expected path, overwrite, file)`));
      else fields.set(name, value);
    });
    parser.on("file", (name, stream, info) => {
      if (failure !== null) {
        stream.resume();
        return;
      }
      if (name !== "file" || saving !== null) {
        stream.resume();
        fail(
          badForm(
            saving === null ? `the file part must be named \`file\`, not \`${name}\`` : "one file per upload",
          ),
        );
        return;
      }
      try {
        overwrite = booleanField(fields.get("overwrite") ?? "false");
      } catch (err) {
        stream.resume();
        fail(err);
        return;
      }
      fileStream = stream;
      saving = files.save(targetName(fields.get("path") ?? "", info.filename ?? ""), stream, {
        overwrite,
        ...(declaredBytes !== undefined ? { declaredBytes } : {}),
      });
      // A refusal before or while streaming ends the upload at once; success waits for the form's end.
      saving.catch((err: unknown) => fail(err));
    });
    parser.on("filesLimit", () => fail(badForm("one file per upload")));
    parser.on("fieldsLimit", () => fail(badForm("too many fields")));
    parser.on("partsLimit", () => fail(badForm("too many parts")));

    parser.on("error", (err: Error) => {
      if (failure === null) failure = badForm(err.message);
      finish();
    });
    parser.on("close", finish);
    // A client that goes away mid-upload: the part ends in an error, so the store removes its temp file.
    req.on("close", () => {
      if (!req.complete) parser.destroy(new Error("the client closed the connection mid-upload"));
    });
    req.pipe(parser);
  });
}
