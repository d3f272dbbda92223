/**
 * The simulated Marlin printer: firmware model, link emulation and its two transports (an
 * in-process serialport binding and a pseudo-terminal). See `firmware.ts` for the model.
 */
export { parseSimArgs, SIM_USAGE, type SimOptions } from "./cli-options.ts";
export {
  defaultSimConfig,
  type SimCapabilities,
  type SimConfig,
  type SimFaults,
  type SimLink,
  validateSimConfig,
} from "./config.ts";
export {
  type FirmwareLink,
  type FirmwareState,
  type FirmwareStats,
  type Injection,
  SimulatedFirmware,
} from "./firmware.ts";
export { createSimulatorBinding, type SimulatorBinding, SimulatorPort } from "./in-process-binding.ts";
export { SimulatedPrinter, type SimulatedPrinterOptions } from "./printer.ts";
export { PTY_MASTER_FD, PtyLink, type PtyLinkOptions } from "./pty-link.ts";
export { ManualScheduler, PreciseScheduler, type Scheduler, type Timer } from "./scheduler.ts";
export { Wire, type WireConfig } from "./wire.ts";
