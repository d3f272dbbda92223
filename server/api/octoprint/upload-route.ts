import type { StoredFile } from "../../jobs/files/file-store-types.ts";
import { HostError } from "../../util/errors.ts";
import { namespaced } from "../../util/log.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { receiveMultipart } from "../shared/multipart-upload.ts";
import { encodePath, fileRefs } from "./file-map.ts";
import { octoBoolean } from "./form-values.ts";
import { baseUrl, type OctoContext } from "./octoprint-context.ts";

/** Fields that decide where the file goes: they must come before the file part, which is streamed. */
const DESTINATION_FIELDS = ["path", "filename", "noOverwrite"];

/** OctoPrint's `path` field: a folder, with or without slashes around it; "" or "/" is the root. */
function folderField(value: string | undefined): string {
  return (value ?? "").trim().replace(/^\/+|\/+$/g, "");
}

function inFolder(folder: string, name: string): string {
  return folder === "" ? name : `${folder}/${name}`;
}

/**
 * `POST /api/files/local`: what every slicer sends. Multipart fields `file` (required), `path`
 * (folder), `filename` (rename), `noOverwrite`, `select`, `print` (OctoPrint booleans); or
 * `foldername` to make a folder. An existing file is replaced unless `noOverwrite` (OctoPrint's
 * default). `select`/`print` are dropped, not refused, when the printer is not ready
 * (`effectiveSelect`/`effectivePrint` say so); `print` starts the print once the analysis is done.
 */
export function uploadRoute(routes: RouteRegistry, ctx: OctoContext): void {
  const { deps, selection } = ctx;
  const { files } = deps;
  const log = namespaced(deps.log, "octoprint");

  routes.add({
    method: "post",
    path: "/api/files/local",
    access: "files:write",
    body: "stream",
    summary:
      "OctoPrint: upload (multipart file, path, select, print, noOverwrite, filename) or make a folder",
    handler: async (route) => {
      const { req, res } = route;
      const base = baseUrl(req);
      const upload = await receiveMultipart(req, files, {
        fileField: "file",
        target: (fields, filename) => {
          const name = (fields.get("filename") ?? filename).trim();
          if (name === "") throw new HostError("INVALID_INPUT", "the file part has no file name");
          return {
            path: inFolder(folderField(fields.get("path")), name),
            overwrite: !octoBoolean(fields.get("noOverwrite")),
          };
        },
      });
      const { fields, stored, lateFields } = upload;
      const late = lateFields.filter((f) => DESTINATION_FIELDS.includes(f));
      if (stored !== null && late.length > 0) {
        await files.delete(stored.path).catch(() => undefined);
        throw new HostError(
          "INVALID_INPUT",
          `send the form fields ${late.join(", ")} before the file part (the file is streamed to disk as it arrives)`,
        );
      }
      if (stored === null) {
        const folderName = fields.get("foldername");
        if (folderName === undefined)
          throw new HostError("INVALID_INPUT", "No file included (form field `file`)");
        const folder = await files.createFolder(inFolder(folderField(fields.get("path")), folderName.trim()));
        const resource = `${base}/api/files/local/${encodePath(folder.path)}`;
        res
          .status(201)
          .location(resource)
          .json({
            folder: { name: folder.name, path: folder.path, origin: "local", refs: { resource } },
            done: true,
          });
        return;
      }
      const wantPrint = octoBoolean(fields.get("print"));
      const wantSelect = wantPrint || octoBoolean(fields.get("select"));
      const ready = selection.ready();
      const effectiveSelect = wantSelect && ready;
      const effectivePrint = wantPrint && ready;
      if (effectivePrint) startAfterAnalysis(stored, userOf(route).name);
      else if (effectiveSelect) selection.select(stored.path);
      const refs = fileRefs(base, stored.path);
      res
        .status(201)
        .location(refs.resource)
        .json({
          files: {
            local: { name: stored.name, display: stored.name, path: stored.path, origin: "local", refs },
          },
          done: true,
          effectiveSelect,
          effectivePrint,
        });
    },
  });

  /** Starts the print in the background: the engine waits for the analysis, the client does not. */
  function startAfterAnalysis(stored: StoredFile, user: string): void {
    selection.startPrint(stored.path, user).then(
      (jobId) => log.info({ path: stored.path, jobId, user }, "print started after upload"),
      (err: unknown) =>
        log.warn({ err, path: stored.path }, "the print requested with an upload did not start"),
    );
  }
}
