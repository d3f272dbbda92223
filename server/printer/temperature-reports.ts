import { canonicalizeTemperatures } from "../gcode/responses/parse-response.ts";
import type { TemperatureReport } from "../gcode/responses/types.ts";
import type { SendWindow } from "../gcode/send-window.ts";
import type { Logger } from "../util/log.ts";
import { TypedEmitter } from "../util/typed-emitter.ts";
import type { FirmwareProfile } from "./firmware-profile-types.ts";

export interface TemperatureReportsDeps {
  window: SendWindow;
  profile: FirmwareProfile;
  /** The firmware reported `Cap:AUTOREPORT_TEMP:1`: `M155 S<n>` instead of polling. */
  autoreport: boolean;
  isPrinting: () => boolean;
  log: Logger;
}

/**
 * Keeps the latest reading of every heater. With AUTOREPORT_TEMP the firmware reports by itself
 * (`M155 S2`); otherwise M105 is polled, slotted between print lines (every 2 s idle, 5 s printing
 * by default), never with more than one poll outstanding.
 */
export class TemperatureReports extends TypedEmitter<{ report: [report: TemperatureReport] }> {
  readonly #deps: TemperatureReportsDeps;
  #last: TemperatureReport = {};
  #timer: NodeJS.Timeout | null = null;
  #pollOutstanding = false;
  #stopped = false;

  constructor(deps: TemperatureReportsDeps) {
    super();
    this.#deps = deps;
  }

  get last(): TemperatureReport {
    return this.#last;
  }

  start(): void {
    this.#stopped = false;
    const { window, profile, autoreport, log } = this.#deps;
    if (autoreport) {
      window.send(`M155 S${profile.temperature.autoreportSeconds}`).catch((err: Error) => {
        log.warn({ err: err.message }, "M155 failed");
      });
      return;
    }
    this.#schedule();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }

  /** A report from an `ok T:…` or an auto-report line. */
  accept(report: TemperatureReport): void {
    this.#last = { ...this.#last, ...canonicalizeTemperatures(report, 0) };
    this.emit("report", this.#last);
  }

  #schedule(): void {
    if (this.#stopped) return;
    const { temperature } = this.#deps.profile;
    const seconds = this.#deps.isPrinting() ? temperature.pollPrintingSeconds : temperature.pollIdleSeconds;
    this.#timer = setTimeout(() => this.#poll(), seconds * 1000);
    this.#timer.unref();
  }

  #poll(): void {
    this.#timer = null;
    if (this.#stopped) return;
    if (!this.#pollOutstanding) {
      this.#pollOutstanding = true;
      this.#deps.window
        .send("M105")
        .catch(() => {})
        .finally(() => {
          this.#pollOutstanding = false;
        });
    }
    this.#schedule();
  }
}
