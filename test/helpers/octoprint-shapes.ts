/**
 * The OctoPrint-compatible responses as the tests read them (the shapes are OctoPrint's, built by
 * server/api/octoprint/*-map.ts; these types only name them for the compiler).
 */
import type { OctoFolderItem, OctoItem, Refs } from "../../server/api/octoprint/file-map.ts";
import type { OctoJob } from "../../server/api/octoprint/job-map.ts";
import type { octoSettings, printerProfile } from "../../server/api/octoprint/settings-map.ts";
import type { PrinterStateBody } from "../../server/api/octoprint/state-map.ts";
import type { OctoHeater, OctoHistoryEntry } from "../../server/api/octoprint/temperature-map.ts";

export type { OctoFileItem, OctoFolderItem, OctoItem } from "../../server/api/octoprint/file-map.ts";
export type { OctoJob };

export type OctoSettings = ReturnType<typeof octoSettings>;
export type OctoProfile = ReturnType<typeof printerProfile>;

export interface OctoPrinter {
  temperature: { [heater: string]: OctoHeater };
  sd: { ready: boolean };
  state: PrinterStateBody;
}

/** `temperature` with `?history=true`. */
export type OctoHistory = { history: OctoHistoryEntry[] };

export interface OctoConnection {
  current: { state: string; port: string | null; baudrate: number | null; printerProfile: string };
  options: {
    ports: string[];
    baudrates: number[];
    printerProfiles: { id: string; name: string }[];
    portPreference: string | null;
    autoconnect: boolean;
  };
}

export interface OctoUpload {
  files: { local: { name: string; display: string; path: string; origin: "local"; refs: Required<Refs> } };
  done: boolean;
  effectiveSelect: boolean;
  effectivePrint: boolean;
}

export interface OctoFolderCreated {
  folder: { name: string; path: string; origin: "local"; refs: Refs };
  done: boolean;
}

export interface OctoFiles {
  files: OctoItem[];
  free: number;
  total: number;
}

export interface OctoLogin {
  name: string;
  admin: boolean;
  groups: string[];
  permissions: string[];
  session: string | null;
  _login_mechanism: string;
}

/** The item at `path` in a listing, searched through folders' children. */
export function findItem(items: readonly OctoItem[], path: string): OctoItem | undefined {
  for (const item of items) {
    if (item.path === path) return item;
    if (item.type === "folder") {
      const inside = findItem((item as OctoFolderItem).children ?? [], path);
      if (inside !== undefined) return inside;
    }
  }
  return undefined;
}
