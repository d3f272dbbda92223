import { statfs } from "node:fs/promises";
import { z } from "zod";
import type { StoreEntry } from "../../jobs/files/file-store-types.ts";
import { HostError, isHostError } from "../../util/errors.ts";
import { namespaced } from "../../util/log.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { sendDownload } from "../shared/file-download.ts";
import { settleWithin } from "../v1/dispatch.ts";
import { JOB_ACTIVE } from "../v1/printer-states.ts";
import { jsonBody, pathParam, queryOf } from "../v1/request-input.ts";
import { fileItem, folderItem, itemTree, printStats } from "./file-map.ts";
import { FLAG } from "./form-values.ts";
import { baseUrl, type OctoContext } from "./octoprint-context.ts";

const LIST_QUERY = z.object({ recursive: FLAG, force: z.string().optional() });

const FILE_COMMAND = z.discriminatedUnion("command", [
  z.object({ command: z.literal("select"), print: z.union([z.boolean(), z.string()]).optional() }),
  z.object({ command: z.literal("analyse") }),
]);

/** Jobs read from the history for the per-file `prints` statistics. */
const HISTORY_JOBS = 500;

/** `/api/files` (listing, one item, select/print, delete) and `/downloads/files/local/<path>`. */
export function fileRoutes(routes: RouteRegistry, ctx: OctoContext): void {
  const { deps, selection } = ctx;
  const { files, engine } = deps;
  const log = namespaced(deps.log, "octoprint");

  const stats = () => printStats(deps.history.listJobs({ limit: HISTORY_JOBS }));
  const space = async () => {
    const fs = await statfs(deps.dataDir ?? ".");
    return { free: fs.bavail * fs.bsize, total: fs.blocks * fs.bsize };
  };

  for (const path of ["/api/files", "/api/files/local"]) {
    routes.add({
      method: "get",
      path,
      access: "files:read",
      summary: "OctoPrint: stored files and folders (?recursive=true for the whole tree), free space",
      handler: async ({ req, res }) => {
        const query = queryOf(req, LIST_QUERY);
        const entries = await files.list(undefined, { recursive: true });
        const depth = query.recursive ? Number.POSITIVE_INFINITY : 1;
        res.json({ files: itemTree(entries, "", baseUrl(req), stats(), depth), ...(await space()) });
      },
    });
  }

  routes.add({
    method: "get",
    path: "/api/files/local/*path",
    access: "files:read",
    summary: "OctoPrint: one file (with its analysis) or folder; 404 when missing",
    handler: async ({ req, res }) => {
      const path = pathParam(req);
      const base = baseUrl(req);
      // A folder's name has no G-code extension: the store's file lookup calls it UNSUPPORTED_FILE.
      const entry = await files.get(path).catch((err: unknown) => {
        if (isHostError(err, "NOT_FOUND") || isHostError(err, "UNSUPPORTED_FILE")) return null;
        throw err;
      });
      if (entry !== null) {
        res.json(fileItem(entry, base, stats().get(entry.path)));
        return;
      }
      const query = queryOf(req, LIST_QUERY);
      const inside: StoreEntry[] = await files.list(path, { recursive: true });
      const folder = await folderOf(path);
      const children = itemTree(
        inside,
        folder.path,
        base,
        stats(),
        query.recursive ? Number.POSITIVE_INFINITY : 0,
      );
      res.json(folderItem(folder, base, children));
    },
  });

  /** The folder entry itself, from its parent's listing. */
  const folderOf = async (path: string) => {
    const slash = path.lastIndexOf("/");
    const parent = slash < 0 ? undefined : path.slice(0, slash);
    const found = (await files.list(parent)).find(
      (e) => e.type === "folder" && e.path === path.replace(/\/+$/, ""),
    );
    if (found === undefined || found.type !== "folder")
      throw new HostError("NOT_FOUND", `no file or folder ${path}`);
    return found;
  };

  routes.add({
    method: "post",
    path: "/api/files/local/*path",
    access: "files:write",
    summary: 'OctoPrint: `{"command":"select","print":true}` selects (and prints) a file; 409 when busy',
    handler: async (route) => {
      const path = pathParam(route.req);
      const body = jsonBody(route.req, FILE_COMMAND);
      const entry = await files.get(path);
      if (body.command === "select") {
        const print = body.print === true || body.print === "true";
        const { state } = engine.snapshot();
        if (print && !selection.ready())
          throw new HostError("INVALID_STATE", `Printer is not ready to print (${state})`);
        if (!print && JOB_ACTIVE.includes(state))
          throw new HostError("INVALID_STATE", `Cannot select a file while the printer is ${state}`);
        if (print)
          await settleWithin(selection.startPrint(entry.path, userOf(route).name), 1000, log, "print");
        else selection.select(entry.path);
      }
      // `analyse`: the analysis runs by itself after every upload.
      route.res.status(204).end();
    },
  });

  routes.add({
    method: "delete",
    path: "/api/files/local/*path",
    access: "files:write",
    summary: "OctoPrint: delete a file or a folder with its content; 409 when it is printing",
    handler: async ({ req, res }) => {
      const path = pathParam(req);
      await files.delete(path, { recursive: true });
      selection.forget(path);
      res.status(204).end();
    },
  });

  routes.add({
    method: "get",
    path: "/downloads/files/local/*path",
    access: "files:read",
    summary: "OctoPrint: download a stored file",
    handler: async ({ req, res }) => {
      await sendDownload(res, files, pathParam(req), {
        contentType: () => "application/octet-stream",
        cacheControl: "no-store",
      });
    },
  });
}
