import type { QueuedCommand } from "./command.ts";
import type { SimConfig } from "./config.ts";
import { type EmergencyCommand, EmergencyParser } from "./emergency-parser.ts";
import type { FaultInjector, LineTrigger } from "./faults.ts";
import { LineAssembler } from "./line-assembler.ts";
import { checkLine } from "./line-validator.ts";
import { RxBuffer } from "./rx-buffer.ts";

export interface IntakeHost {
  running(): boolean;
  emit(line: string): void;
  /** M108/M112/M410 caught before the queue: by EMERGENCY_PARSER, or early in `get_serial_commands()`. */
  emergency(command: EmergencyCommand): void;
  lineTrigger(trigger: LineTrigger): void;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * The serial side of Marlin's `GCodeQueue` (`Marlin/src/gcode/queue.cpp`): the RX ring, the line
 * buffer, line-number/checksum validation with `gcode_line_error()`, and `last_N`.
 */
export class SerialIntake {
  /** `serial_state[p].last_N`. */
  lastN = 0;
  lostBytes = 0;
  lineErrors = 0;
  readonly #config: SimConfig;
  readonly #faults: FaultInjector;
  readonly #host: IntakeHost;
  readonly #rx: RxBuffer;
  readonly #line: LineAssembler;
  readonly #emergency = new EmergencyParser();

  constructor(config: SimConfig, faults: FaultInjector, host: IntakeHost) {
    this.#config = config;
    this.#faults = faults;
    this.#host = host;
    this.#rx = new RxBuffer(config.rxBufferBytes);
    this.#line = new LineAssembler(config.maxLineLength);
  }

  get rxFree(): number {
    return this.#rx.free;
  }

  get rxLength(): number {
    return this.#rx.length;
  }

  /** Bytes arriving at the UART: stores what fits; returns how many were stored. */
  store(bytes: Uint8Array, offset: number, count: number): number {
    const stored = this.#rx.write(bytes, offset, count);
    if (this.#config.capabilities.emergencyParser) this.#scanEmergency(bytes, offset, stored);
    return stored;
  }

  /** Bytes that arrived while the ring was full: lost, though the emergency parser still saw them. */
  drop(bytes: Uint8Array, offset: number, count: number): void {
    this.lostBytes += count;
    if (this.#config.capabilities.emergencyParser) this.#scanEmergency(bytes, offset, count);
  }

  /**
   * Reads RX until a line completes and passes validation; returns it, or null once RX holds no
   * complete line. A line that fails validation is answered (error, `Resend:`, `ok`) right here.
   */
  next(): QueuedCommand | null {
    const rx = this.#rx;
    const line = this.#line;
    while (rx.length > 0) {
      const c = rx.shift();
      if (c !== LF && c !== CR) {
        line.push(c);
        continue;
      }
      if (line.length === 0) {
        line.reset();
        continue;
      }
      const command = this.#complete(line.take());
      if (command !== null || !this.#host.running()) return command;
    }
    return null;
  }

  /** `flush_and_request_resend()`: `Resend: <last_N + 1>`, then `ok` (Marlin 2.x). */
  requestResend(): void {
    this.#host.emit(`Resend: ${this.lastN + 1}`);
    if (this.#config.okAfterResend) this.#host.emit("ok");
  }

  reset(): void {
    this.#rx.clear();
    this.#line.reset();
    this.#emergency.reset();
    this.lastN = 0;
  }

  #complete(raw: string): QueuedCommand | null {
    let start = 0;
    while (raw.charCodeAt(start) === 0x20) start++;
    let line = start === 0 ? raw : raw.slice(start);
    if (line.charCodeAt(0) === 0x4e) line = this.#faults.corrupt(line);
    const check = checkLine(line, this.lastN);
    if (!check.ok) {
      this.#lineError(check.error);
      return null;
    }
    const lineNumber = check.lineNumber;
    if (lineNumber !== null) {
      this.lastN = lineNumber;
      const trigger = this.#faults.lineTrigger(lineNumber);
      if (trigger !== null) {
        this.#host.lineTrigger(trigger);
        return null;
      }
    }
    if (!this.#config.capabilities.emergencyParser) this.#earlyCritical(line);
    return this.#host.running() ? { line, lineNumber } : null;
  }

  /** `gcode_line_error()`: the error, everything in RX discarded, then the resend request. */
  #lineError(error: string): void {
    this.lineErrors++;
    this.#host.emit(`Error:${error}${this.lastN}`);
    this.#rx.clear();
    this.#line.reset();
    this.requestResend();
  }

  /**
   * "Process critical commands early" (queue.cpp, without EMERGENCY_PARSER): checked on the stored
   * line's first bytes, so only an unnumbered `M108`/`M112`/`M410` qualifies, and only once a queue
   * slot was free to take it.
   */
  #earlyCritical(line: string): void {
    if (line.charCodeAt(0) !== 0x4d) return;
    const c1 = line.charCodeAt(1);
    const c2 = line.charCodeAt(2);
    const c3 = line.charCodeAt(3);
    if (c3 === 0x38 && c2 === 0x30 && c1 === 0x31) this.#host.emergency("M108");
    else if (c3 === 0x32 && c2 === 0x31 && c1 === 0x31) this.#host.emergency("M112");
    else if (c3 === 0x30 && c1 === 0x34 && c2 === 0x31) this.#host.emergency("M410");
  }

  #scanEmergency(bytes: Uint8Array, offset: number, count: number): void {
    for (let i = offset; i < offset + count; i++) {
      const command = this.#emergency.update(bytes[i] as number);
      if (command !== null) {
        this.#host.emergency(command);
        if (!this.#host.running()) return;
      }
    }
  }
}
