import { type FlowRequest, resolveFlowControl } from "../gcode/flow-control.ts";
import type { SendWindow } from "../gcode/send-window.ts";
import type { SerialTransport } from "../serial/transport.ts";
import type { Logger } from "../util/log.ts";
import type { FirmwareInfo } from "./printer.ts";

/** A connected, identified firmware: its link, its send window, and what it has shown it can do. */
export class FirmwareSession {
  readonly transport: SerialTransport;
  readonly window: SendWindow;
  readonly firmware: FirmwareInfo;
  readonly #flow: FlowRequest;
  readonly #log: Logger;
  #advancedOk: boolean;
  #largestBufferFree: number | null = null;

  constructor(parts: {
    transport: SerialTransport;
    window: SendWindow;
    firmware: FirmwareInfo;
    flow: FlowRequest;
    log: Logger;
  }) {
    this.transport = parts.transport;
    this.window = parts.window;
    this.firmware = parts.firmware;
    this.#flow = parts.flow;
    this.#log = parts.log;
    this.#advancedOk = parts.firmware.capabilities.ADVANCED_OK === true;
  }

  /**
   * An `ok … P<n> B<n>` proves ADVANCED_OK, and its largest `B` is the firmware's real number of
   * free command slots (Marlin reads one low: the running command holds its slot). Cheap on the hot
   * path: the flow is recomputed only when either fact changes.
   */
  noteAdvancedOk(bufferFree: number): void {
    if (this.#advancedOk && this.#largestBufferFree !== null && bufferFree <= this.#largestBufferFree) return;
    this.#advancedOk = true;
    this.#largestBufferFree = Math.max(bufferFree, this.#largestBufferFree ?? 0);
    const { profile } = this.firmware;
    const flow = resolveFlowControl(this.#flow, {
      advancedOk: true,
      receiveBufferBytes: profile.serial.receiveBufferBytes,
      commandBufferSlots: profile.serial.commandBufferSlots,
      largestBufferFree: this.#largestBufferFree,
    });
    this.#log.debug({ flow }, "flow control from ADVANCED_OK");
    this.window.reconfigure({ flow });
  }
}
