import type { AuthStore } from "../auth/auth-store.ts";
import type { CameraService } from "../camera/camera-service.ts";
import type { TimelapseLibrary } from "../camera/timelapse/timelapse-library.ts";
import type { TimelapseService } from "../camera/timelapse/timelapse-service.ts";
import type { Engine } from "../jobs/engine/engine.ts";
import type { FileStore } from "../jobs/files/file-store.ts";
import type { HistoryDb } from "../jobs/history/history-db.ts";
import type { SettingsStore } from "../jobs/settings/settings-store.ts";
import type { FirmwareProfile } from "../printer/firmware-profile-types.ts";
import type { SerialPortInfo } from "../serial/port-list.ts";
import type { Logger } from "../util/log.ts";

/** Everything the API layer talks to; built by the composition root (server/main.ts). */
export interface ApiDeps {
  engine: Engine;
  files: FileStore;
  history: HistoryDb;
  /** The maker's settings (serial defaults, temperature presets, pause behaviour). */
  settings: SettingsStore;
  auth: AuthStore;
  /** The camera and time-lapses; absent: their routes answer CAMERA (no camera in this daemon). */
  media?: MediaDeps;
  log: Logger;
  /** The daemon's version (package.json). */
  version: string;
  /**
   * The data directory, for small per-install files (the OctoPrint-compatible install id) and free
   * space; without it the install id lives only as long as the process.
   */
  dataDir?: string;
  /** Serial ports on this machine (USB names, by-id paths). */
  listPorts: () => Promise<SerialPortInfo[]>;
  profiles: readonly FirmwareProfile[];
  http: HttpOptions;
  /** ms since the epoch; Date.now by default. */
  clock?: () => number;
}

export interface MediaDeps {
  camera: CameraService;
  timelapses: TimelapseService;
  library: TimelapseLibrary;
}

export interface HttpOptions {
  /** Served over HTTPS (a TLS proxy in front): cookies get Secure. */
  secureCookies: boolean;
  /** Origins besides the server's own that may send cookie requests (a reverse proxy's public URL). */
  trustedOrigins: string[];
  /** The built dashboard, served as static assets when the folder exists. */
  staticDir: string | null;
  /** Express `trust proxy`: false, or the hop count / addresses of proxies whose X-Forwarded-For counts. */
  trustProxy: boolean | number | string;
}
