import type { SimConfig } from "../config.ts";
import type { Handler } from "../handler-types.ts";
import * as host from "./host-handlers.ts";
import * as motion from "./motion-handlers.ts";
import * as sd from "./sd-handlers.ts";
import * as thermal from "./thermal-handlers.ts";

/**
 * Which G/M codes this build knows (`Marlin/src/gcode/gcode.cpp` `process_parsed_command()`).
 * Optional features are absent when not configured, so e.g. M155 without AUTOREPORT_TEMP is an
 * `Unknown command`, as on a build without AUTO_REPORT_TEMPERATURES.
 */
export class HandlerTable {
  readonly #g = new Map<number, Handler>();
  readonly #m = new Map<number, Handler>();

  constructor(config: SimConfig) {
    const caps = config.capabilities;
    const g: [number, Handler][] = [
      [0, motion.linearMove],
      [1, motion.linearMove],
      [2, motion.arcMove],
      [3, motion.arcMove],
      [4, motion.dwell],
      [20, host.acknowledge],
      [21, host.acknowledge],
      [28, motion.home],
      [29, motion.level],
      [80, motion.level],
      [90, motion.absoluteMode],
      [91, motion.relativeMode],
      [92, motion.setPosition],
    ];
    const m: [number, Handler][] = [
      [17, host.acknowledge],
      [18, host.acknowledge],
      [20, sd.listFiles],
      [21, sd.initCard],
      [22, sd.releaseCard],
      [23, sd.selectFile],
      [24, sd.startPrint],
      [25, sd.pausePrint],
      [26, sd.seekFile],
      [27, sd.reportProgress],
      [42, host.acknowledge],
      [73, host.acknowledge],
      [75, host.acknowledge],
      [76, host.acknowledge],
      [77, host.acknowledge],
      [82, motion.absoluteExtrusion],
      [83, motion.relativeExtrusion],
      [84, host.acknowledge],
      [92, host.acknowledge],
      [104, thermal.setTarget(thermal.hotend)],
      [105, thermal.reportTemperatures],
      [106, host.acknowledge],
      [107, host.acknowledge],
      [108, host.cancelWait],
      [109, thermal.setTargetAndWait(thermal.hotend)],
      [110, host.setLineNumber],
      [112, host.emergencyStop],
      [114, motion.reportPosition],
      [115, host.firmwareInfo],
      [117, host.acknowledge],
      [118, host.hostMessage],
      [140, thermal.setTarget(thermal.bed)],
      [190, thermal.setTargetAndWait(thermal.bed)],
      [201, motion.machineLimits],
      [203, motion.machineLimits],
      [204, motion.machineLimits],
      [205, motion.machineLimits],
      [220, host.acknowledge],
      [221, host.acknowledge],
      [302, host.acknowledge],
      [400, motion.finishMoves],
      [410, motion.quickStop],
      [502, host.acknowledge],
      [600, host.filamentChange],
      [900, host.acknowledge],
      [999, host.restart],
    ];
    if (caps.autoreportTemp) m.push([155, thermal.autoreportTemperatures]);
    if (caps.autoreportPos) m.push([154, host.autoreportPosition]);
    if (caps.busyProtocol) m.push([113, host.keepaliveInterval]);
    if (caps.chamber) {
      m.push([141, thermal.setTarget(thermal.chamber)]);
      m.push([191, thermal.setTargetAndWait(thermal.chamber)]);
    }
    for (const [code, handler] of g) this.#g.set(code, handler);
    for (const [code, handler] of m) this.#m.set(code, handler);
  }

  lookup(letter: string, code: number): Handler | undefined {
    if (letter === "G") return this.#g.get(code);
    if (letter === "M") return this.#m.get(code);
    if (letter === "T" && code >= 0) return host.selectTool;
    return undefined;
  }
}
