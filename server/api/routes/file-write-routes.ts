import { z } from "zod";
import { HostError } from "../../util/errors.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { receiveMultipart } from "../shared/multipart-upload.ts";
import { entryDto, fileDto, folderDto } from "../v1/file-dto.ts";
import { filesUrl, jsonBody, pathParam, QUERY_BOOLEAN, queryOf } from "../v1/request-input.ts";
import { parseInput } from "../validate.ts";

const NAME = z.string().min(1).max(1024);
const MOVE = z.strictObject({ from: NAME, to: NAME });
const FOLDER = z.strictObject({ path: NAME });
const DELETE = z.strictObject({ recursive: QUERY_BOOLEAN.optional() });
/** Form fields besides the file; they must come before it (the file is streamed as it arrives). */
const UPLOAD_FIELDS = new Set(["path", "overwrite"]);

/**
 * Changing the file store (`files:write`): upload, folders, move, delete. Names are checked by the
 * store (traversal, hidden, device names: 400 BAD_NAME; not G-code: 415); the printing file cannot be
 * replaced, moved or deleted (409 BUSY).
 */
export function fileWriteRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { files, engine } = deps;
  const printingFile = (): string | null => engine.snapshot().job?.file ?? null;

  routes.add({
    method: "post",
    path: "/api/v1/files",
    access: "files:write",
    body: "stream",
    summary: "Upload (multipart/form-data: path, overwrite, then file), streamed to disk; 201 + Location",
    handler: async ({ req, res }) => {
      if (!/^multipart\/form-data\s*;/i.test(req.get("content-type") ?? ""))
        throw new HostError(
          "UNSUPPORTED_FILE",
          "send the upload as multipart/form-data with the file in a part named `file`",
        );
      let overwrite = false;
      const { stored, lateFields } = await receiveMultipart(req, files, {
        fileField: "file",
        target: (fields, filename) => {
          const unknown = [...fields.keys()].find((name) => !UPLOAD_FIELDS.has(name));
          if (unknown !== undefined)
            throw new HostError(
              "INVALID_INPUT",
              `unknown form field \`${unknown}\` (expected path, overwrite, file)`,
            );
          overwrite = parseInput(QUERY_BOOLEAN, fields.get("overwrite") ?? "false", "form.overwrite");
          const folder = (fields.get("path") ?? "").replace(/\/+$/, "");
          return { path: folder === "" ? filename : `${folder}/${filename}`, overwrite };
        },
      });
      if (stored === null) throw new HostError("INVALID_INPUT", "the form has no part named `file`");
      if (lateFields.length > 0) {
        // Stored before the form turned out wrong: a new file is removed again (a replaced one is gone).
        if (!overwrite) await files.delete(stored.path).catch(() => undefined);
        throw new HostError(
          "INVALID_INPUT",
          `send the form fields ${lateFields.join(", ")} before the file part (it is streamed to disk as it arrives)`,
        );
      }
      res.status(201).location(filesUrl(stored.path)).json(fileDto(stored, false));
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/folders",
    access: "files:write",
    summary: "Create a folder {path} (and its parents)",
    handler: async ({ req, res }) => {
      const { path } = jsonBody(req, FOLDER);
      const folder = await files.createFolder(path);
      res.status(201).json(folderDto(folder));
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/files/move",
    access: "files:write",
    summary: "Rename or move a file or folder {from, to}; 409 if the target exists",
    handler: async ({ req, res }) => {
      const { from, to } = jsonBody(req, MOVE);
      const moved = await files.move(from, to);
      res.json(entryDto(moved, printingFile()));
    },
  });

  routes.add({
    method: "delete",
    path: "/api/v1/files/*path",
    access: "files:write",
    summary: "Delete a file, or a folder (?recursive=true when not empty); 409 for the printing file",
    handler: async ({ req, res }) => {
      const { recursive } = queryOf(req, DELETE);
      await files.delete(pathParam(req), { recursive: recursive === true });
      res.status(204).end();
    },
  });
}
