import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { formatLine } from "../../../server/gcode/line.ts";
import type { FirmwareProfile } from "../../../server/printer/firmware-profile-types.ts";
import {
  defaultSimConfig,
  ManualScheduler,
  type SimConfig,
  SimulatedPrinter,
} from "../../../server/sim/index.ts";

export const MARLIN_2 = JSON.parse(
  readFileSync(resolve(import.meta.dirname, "../../../firmware-profiles/marlin-2.json"), "utf8"),
) as FirmwareProfile;

/** marlin-2.json with the figures these tests rely on pinned (the file is data others tune). */
export const TEST_PROFILE: FirmwareProfile = {
  ...MARLIN_2,
  detection: { ...MARLIN_2.detection, example: "Marlin 2.1.2.1 (Github)" },
  capabilities: {},
  serial: {
    ...MARLIN_2.serial,
    receiveBufferBytes: 128,
    commandBufferSlots: 4,
    maxLineLength: 96,
    okAfterResend: true,
  },
};

/**
 * Zero-time Marlin 2 with a stock build's features off (ADVANCED_OK, EMERGENCY_PARSER, keepalive,
 * auto-report, host actions): each test turns on what it needs.
 */
export function simConfig(change: (config: SimConfig) => void = () => {}): SimConfig {
  const config = defaultSimConfig(TEST_PROFILE);
  Object.assign(config.capabilities, {
    advancedOk: false,
    emergencyParser: false,
    autoreportTemp: false,
    busyProtocol: false,
    hostActionCommands: false,
  });
  config.speed = 0;
  change(config);
  return config;
}

export interface Harness {
  printer: SimulatedPrinter;
  scheduler: ManualScheduler;
  /** Raw bytes the host received, in order. */
  bytes: Buffer[];
  /** Complete lines received since the last `take()`. */
  take(): string[];
  /** Writes raw text from the host. */
  send(text: string): void;
  /** Writes `N<n> <command>*<checksum>\n`. */
  line(n: number, command: string): void;
  /** Advances the scheduler clock (real time; simulated time at speed 1) by `ms`, running due timers. */
  advance(ms: number): void;
}

export function harness(change: (config: SimConfig) => void = () => {}, keepBanner = false): Harness {
  const scheduler = new ManualScheduler();
  const printer = new SimulatedPrinter(simConfig(change), { scheduler });
  const bytes: Buffer[] = [];
  let pending = "";
  let lines: string[] = [];
  printer.onToHost((b) => {
    bytes.push(Buffer.from(b));
    pending += b.toString("latin1");
    const parts = pending.split("\n");
    pending = parts.pop() ?? "";
    lines.push(...parts);
  });
  printer.start();
  if (!keepBanner) lines = [];
  return {
    printer,
    scheduler,
    bytes,
    take() {
      const out = lines;
      lines = [];
      return out;
    },
    send(text) {
      printer.fromHost(Buffer.from(text, "latin1"));
    },
    line(n, command) {
      printer.fromHost(Buffer.from(formatLine(n, command)));
    },
    advance(ms) {
      scheduler.advance(ms);
    },
  };
}

export { formatLine };
