import ajv2020 from "ajv/dist/2020.js";
import { HostError } from "./util/errors.ts";

/** The daemon's configuration, after defaults and validation. */
export interface DaemonConfig {
  /** 0 picks a free port (tests). */
  httpPort: number;
  http: {
    /** The address to listen on; default every interface (the phone is on the LAN). */
    host: string | null;
    /** Served over HTTPS by a proxy in front: session cookies get Secure and HSTS is sent. */
    secureCookies: boolean;
    /** Origins besides the server's own that may send cookie requests (a reverse proxy's public URL). */
    trustedOrigins: string[];
    /** Express `trust proxy`: false, or the hop count or addresses of proxies whose X-Forwarded-For counts. */
    trustProxy: boolean | number | string;
    /** Advertise `_octoprint._tcp` and `_http._tcp` with mDNS. */
    mdns: boolean;
  };
  dataDir: string;
  /**
   * Where the printer and its jobs run: `worker`, a worker thread whose event loop HTTP and socket
   * work cannot stall (the G-code stream keeps its pace); `inline`, this thread (tests, debugging).
   */
  engine: "worker" | "inline";
  printer: {
    /** `virtual` for the built-in simulated printer, else a serial device path. */
    port: string;
    /** null: detect (250000, 115200, 230400, 57600, 38400). */
    baudRate: number | null;
    /** null: detect from M115. */
    profile: string | null;
    flow: "auto" | "ping-pong" | "window" | number;
    /** The simulated printer's time factor (10 = ten times faster than life). */
    simSpeed: number;
    /** The simulated printer writes every command it executes to this file (a dry run's record); null: none. */
    simRecordFile: string | null;
  };
  jobs: {
    /** Where pause and cancel park the head, mm. */
    park: { x: number; y: number };
    /** A paused print's nozzles go cold after this long; 0 keeps them hot. */
    coolAfterPauseMinutes: number;
    maxUploadMiB: number;
  };
  history: {
    /** Days of 1 Hz temperature samples and of events kept. */
    temperatureDays: number;
    eventDays: number;
  };
  log: { level: string; levels: Record<string, string> };
}

const LEVEL = { enum: ["trace", "debug", "info", "warn", "error", "fatal", "silent"] };

const SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["httpPort", "http", "dataDir", "engine", "printer", "jobs", "history", "log"],
  properties: {
    httpPort: { type: "integer", minimum: 0, maximum: 65535 },
    http: {
      type: "object",
      additionalProperties: false,
      required: ["host", "secureCookies", "trustedOrigins", "trustProxy", "mdns"],
      properties: {
        host: { type: ["string", "null"], minLength: 1 },
        secureCookies: { type: "boolean" },
        trustedOrigins: { type: "array", items: { type: "string", pattern: "^https?://[^/]+$" } },
        trustProxy: { type: ["boolean", "integer", "string"] },
        mdns: { type: "boolean" },
      },
    },
    dataDir: { type: "string", minLength: 1 },
    engine: { enum: ["worker", "inline"] },
    printer: {
      type: "object",
      additionalProperties: false,
      required: ["port", "baudRate", "profile", "flow", "simSpeed"],
      properties: {
        port: { type: "string", minLength: 1 },
        baudRate: { type: ["integer", "null"], minimum: 300 },
        profile: { type: ["string", "null"], pattern: "^[a-z0-9]+(-[a-z0-9]+)*$" },
        flow: {
          anyOf: [{ enum: ["auto", "ping-pong", "window"] }, { type: "integer", minimum: 1, maximum: 64 }],
        },
        simSpeed: { type: "number", minimum: 0, maximum: 1000 },
        simRecordFile: { type: ["string", "null"], minLength: 1 },
      },
    },
    jobs: {
      type: "object",
      additionalProperties: false,
      required: ["park", "coolAfterPauseMinutes", "maxUploadMiB"],
      properties: {
        park: {
          type: "object",
          additionalProperties: false,
          required: ["x", "y"],
          properties: { x: { type: "number" }, y: { type: "number" } },
        },
        coolAfterPauseMinutes: { type: "number", minimum: 0 },
        maxUploadMiB: { type: "number", exclusiveMinimum: 0 },
      },
    },
    history: {
      type: "object",
      additionalProperties: false,
      required: ["temperatureDays", "eventDays"],
      properties: {
        temperatureDays: { type: "number", exclusiveMinimum: 0 },
        eventDays: { type: "number", exclusiveMinimum: 0 },
      },
    },
    log: {
      type: "object",
      additionalProperties: false,
      required: ["level", "levels"],
      properties: {
        level: LEVEL,
        levels: { type: "object", additionalProperties: LEVEL },
      },
    },
  },
} as const;

export const DEFAULT_CONFIG: DaemonConfig = {
  httpPort: 5000,
  http: { host: null, secureCookies: false, trustedOrigins: [], trustProxy: false, mdns: true },
  dataDir: "data",
  engine: "worker",
  printer: { port: "virtual", baudRate: null, profile: null, flow: "auto", simSpeed: 1, simRecordFile: null },
  jobs: { park: { x: 0, y: 200 }, coolAfterPauseMinutes: 10, maxUploadMiB: 1024 },
  history: { temperatureDays: 7, eventDays: 30 },
  log: { level: "info", levels: {} },
};

// ajv ships CommonJS: under NodeNext the default import is `module.exports`, whose `default` is the class.
const validate = new ajv2020.default({ allErrors: false, allowUnionTypes: true }).compile(SCHEMA);

/**
 * Defaults overlaid with `overrides`, validated. An error names the key (`/printer/baudRate must
 * be integer`) so a typo in a config file or flag is found at startup, not mid-print.
 */
export function loadConfig(overrides: DeepPartial<DaemonConfig> = {}): DaemonConfig {
  const config = {
    ...DEFAULT_CONFIG,
    ...overrides,
    http: { ...DEFAULT_CONFIG.http, ...overrides.http } as DaemonConfig["http"],
    printer: { ...DEFAULT_CONFIG.printer, ...overrides.printer },
    jobs: {
      ...DEFAULT_CONFIG.jobs,
      ...overrides.jobs,
      park: { ...DEFAULT_CONFIG.jobs.park, ...overrides.jobs?.park },
    },
    history: { ...DEFAULT_CONFIG.history, ...overrides.history },
    log: { ...DEFAULT_CONFIG.log, ...overrides.log, levels: { ...overrides.log?.levels } },
  };
  if (!validate(config)) {
    const first = validate.errors?.[0];
    const where = first?.instancePath || "/";
    const extra =
      first?.keyword === "additionalProperties" ? ` '${String(first.params.additionalProperty)}'` : "";
    throw new HostError(
      "CONFIG",
      `invalid configuration: ${where} ${first?.message ?? "is invalid"}${extra}`,
    );
  }
  return config as DaemonConfig;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };
