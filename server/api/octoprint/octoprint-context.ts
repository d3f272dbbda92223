import { randomUUID } from "node:crypto";
import type { Request } from "express";
import { namespaced } from "../../util/log.ts";
import type { ApiDeps } from "../api-deps.ts";
import { loadInstallId } from "./install-id.ts";
import { Selection } from "./selection.ts";

/** What the OctoPrint route modules share. */
export interface OctoContext {
  deps: ApiDeps;
  selection: Selection;
  /** This installation's UUID (see install-id.ts). */
  installId: () => Promise<string>;
}

export function createContext(deps: ApiDeps): OctoContext {
  const log = namespaced(deps.log, "octoprint");
  const selection = new Selection(deps.engine, log);
  selection.watch();
  const fallback = randomUUID();
  let loading: Promise<string> | null = null;
  const installId = (): Promise<string> => {
    const { dataDir } = deps;
    if (dataDir === undefined) return Promise.resolve(fallback);
    loading ??= loadInstallId(dataDir).catch((err: unknown) => {
      log.warn({ err }, "cannot read or create the install id; using one for this run only");
      loading = null;
      return fallback;
    });
    return loading;
  };
  return { deps, selection, installId };
}

/** This server's origin as the client reached it (`http://printer.local:5000`), for absolute URLs. */
export function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get("host") ?? "localhost"}`;
}
