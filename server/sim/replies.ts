import type { SimConfig } from "./config.ts";
import type { MotionModel } from "./motion-model.ts";
import type { Heater, ThermalModel } from "./thermal-model.ts";

/** The boot banner (`Marlin/src/MarlinCore.cpp` `setup()`), as a stock 2.1.2.1 build prints it. */
export const BANNER = [
  "start",
  "echo:Marlin 2.1.2.1",
  "echo: Last Updated: 2023-08-05 | Author: (none, default config)",
  "echo:Compiled: Aug  5 2023",
  "echo: Free Memory: 5095  PlannerBufferBytes: 1312",
  "echo:SD card ok",
] as const;

/** `Marlin/src/core/language.h`. */
export const MSG = {
  killed: "Error:Printer halted. kill() called!",
  thermalRunaway: "Error:Thermal Runaway, system stopped! Heater_ID: 0",
  busyProcessing: "echo:busy: processing",
  busyPausedForUser: "echo:busy: paused for user",
  sdOk: "echo:SD card ok",
} as const;

/** The stock MACHINE_UUID. */
const UUID = "cede2a2f-41a2-4748-9b12-c55c62f367ff";

/**
 * `ok`, or with ADVANCED_OK `ok N<n> P<planner free> B<slots free>`, where ` N…` echoes the
 * command's own line number characters (`queue.cpp` `ok_to_send()`).
 */
export function okLine(
  advanced: boolean,
  lineNumberText: string | null,
  plannerFree: number,
  slotsFree: number,
): string {
  if (!advanced) return "ok";
  const n = lineNumberText === null ? "" : ` N${lineNumberText}`;
  return `ok${n} P${plannerFree} B${slotsFree}`;
}

/**
 * ` T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0` (`Marlin/src/module/temperature.cpp`
 * `print_heater_states()`: two decimals, current then target, then the heater powers).
 */
export function temperatureReport(thermal: ThermalModel): string {
  let line = heaterState("T", thermal.hotend) + heaterState("B", thermal.bed);
  if (thermal.chamber !== null) line += heaterState("C", thermal.chamber);
  line += ` @:${thermal.hotend.power()} B@:${thermal.bed.power()}`;
  if (thermal.chamber !== null) line += ` C@:${thermal.chamber.power()}`;
  return line;
}

function heaterState(key: string, heater: Heater): string {
  return ` ${key}:${heater.temperature().toFixed(2)} /${heater.target.toFixed(2)}`;
}

/** `X:10.00 Y:20.00 Z:0.30 E:1.50 Count X:800 Y:1600 Z:120` (`report_current_position_projected()`). */
export function positionReport(motion: MotionModel): string {
  const p = motion.position;
  const c = motion.stepperCounts();
  return `X:${p.x.toFixed(2)} Y:${p.y.toFixed(2)} Z:${p.z.toFixed(2)} E:${p.e.toFixed(2)} Count X:${c.x} Y:${c.y} Z:${c.z}`;
}

/** M115 (`Marlin/src/gcode/host/M115.cpp`): the identity line, then one `Cap:` line per feature. */
export function firmwareInfoLines(config: SimConfig): string[] {
  const caps = config.capabilities;
  const cap = (name: string, on: boolean): string => `Cap:${name}:${on ? 1 : 0}`;
  return [
    `FIRMWARE_NAME:${config.firmwareName} SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:Layerwatch Simulator EXTRUDER_COUNT:1 UUID:${UUID}`,
    cap("SERIAL_XON_XOFF", false),
    cap("BINARY_FILE_TRANSFER", false),
    cap("EEPROM", false),
    cap("VOLUMETRIC", true),
    cap("AUTOREPORT_POS", caps.autoreportPos),
    cap("AUTOREPORT_TEMP", caps.autoreportTemp),
    cap("PROGRESS", false),
    cap("PRINT_JOB", true),
    cap("AUTOLEVEL", true),
    cap("RUNOUT", false),
    cap("Z_PROBE", true),
    cap("LEVELING_DATA", true),
    cap("BUILD_PERCENT", true),
    cap("SOFTWARE_POWER", false),
    cap("TOGGLE_LIGHTS", false),
    cap("CASE_LIGHT_BRIGHTNESS", false),
    cap("EMERGENCY_PARSER", caps.emergencyParser),
    cap("HOST_ACTION_COMMANDS", caps.hostActionCommands),
    cap("PROMPT_SUPPORT", caps.promptSupport),
    cap("SDCARD", true),
    cap("REPEAT", false),
    cap("SD_WRITE", false),
    cap("AUTOREPORT_SD_STATUS", false),
    cap("LONG_FILENAME", false),
    cap("EXTENDED_M20", caps.extendedM20),
    cap("THERMAL_PROTECTION", true),
    cap("MOTION_MODES", false),
    cap("ARCS", true),
    cap("BABYSTEPPING", false),
    cap("CHAMBER_TEMPERATURE", caps.chamber),
    cap("COOLER_TEMPERATURE", false),
    cap("MEATPACK", false),
    // Not Marlin's own names: a stock build says nothing about these two. Hosts that read them
    // (Prusa-style) learn the sim's configuration; Marlin-only hosts ignore unknown capabilities.
    cap("ADVANCED_OK", caps.advancedOk),
    cap("BUSY_PROTOCOL", caps.busyProtocol),
  ];
}
