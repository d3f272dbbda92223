import type { BindingInterface } from "@serialport/bindings-interface";
import type { DaemonConfig } from "./config.ts";
import type { TemperatureReport } from "./gcode/responses/types.ts";
import { loadFirmwareProfile, loadFirmwareProfiles } from "./printer/firmware-profile.ts";
import { Printer } from "./printer/printer.ts";
import { systemBinding } from "./serial/system-binding.ts";
import { createSimulatorBinding, defaultSimConfig, SimulatedPrinter } from "./sim/index.ts";
import { type Logger, namespaced } from "./util/log.ts";

/** The in-process simulated printer's device path (it exists only inside this process). */
export const VIRTUAL_PORT = "/dev/layerwatch-virtual";

/** Temperatures are logged at most this often (the dashboard gets every report). */
const TEMPERATURE_LOG_MS = 10_000;

export interface DaemonDeps {
  config: DaemonConfig;
  log: Logger;
}

/**
 * The composition root: builds every module from the validated config and owns their lifetimes.
 * The constructor only assigns; start() connects in order; stop() undoes it in reverse.
 */
export class Daemon {
  readonly #deps: DaemonDeps;
  #simulator: SimulatedPrinter | null = null;
  #printer: Printer | null = null;
  #lastTemperatureLog = 0;

  constructor(deps: DaemonDeps) {
    this.#deps = deps;
  }

  get printer(): Printer | null {
    return this.#printer;
  }

  async start(): Promise<void> {
    const { config, log } = this.#deps;
    const binding = this.#binding();
    const printer = new Printer({ log, binding, profiles: loadFirmwareProfiles() });
    this.#printer = printer;
    const printerLog = namespaced(log, "printer");
    printer.on("state", (change) => printerLog.info({ from: change.from, to: change.to }, change.reason));
    printer.on("temperatures", (report) => this.#logTemperatures(printerLog, report));
    printer.on("failure", (err) => printerLog.error({ code: err.code }, err.message));
    const { printer: p } = config;
    await printer.connect({
      path: p.port === "virtual" ? VIRTUAL_PORT : p.port,
      ...(p.baudRate !== null ? { baudRate: p.baudRate } : {}),
      ...(p.profile !== null ? { profile: p.profile } : {}),
      flow: p.flow,
    });
  }

  async stop(): Promise<void> {
    await this.#printer?.disconnect();
    this.#printer = null;
    await this.#simulator?.stop();
    this.#simulator = null;
  }

  #binding(): BindingInterface {
    const { config } = this.#deps;
    if (config.printer.port !== "virtual") return systemBinding();
    // A Marlin 2 board as shipped on 32-bit printers: temperature auto-reports and ADVANCED_OK on.
    const defaults = defaultSimConfig(loadFirmwareProfile("marlin-2"));
    const simulator = new SimulatedPrinter({
      ...defaults,
      speed: config.printer.simSpeed,
      capabilities: { ...defaults.capabilities, autoreportTemp: true, advancedOk: true },
      record: { file: null, inMemory: false },
    });
    simulator.start();
    this.#simulator = simulator;
    const { binding, register } = createSimulatorBinding();
    register(VIRTUAL_PORT, simulator);
    return binding;
  }

  #logTemperatures(log: Logger, report: TemperatureReport): void {
    const now = Date.now();
    if (now - this.#lastTemperatureLog < TEMPERATURE_LOG_MS) return;
    this.#lastTemperatureLog = now;
    const heaters = Object.entries(report).map(
      ([name, r]) => `${name} ${r.actual.toFixed(1)}/${r.target ?? 0}`,
    );
    log.info({ temperatures: report }, `temperatures ${heaters.join(", ")}`);
  }
}
