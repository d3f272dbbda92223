import { commandCode, fitsLineBuffer, isAscii, stripComment } from "../../gcode/line.ts";
import type { EngineSnapshot } from "../../jobs/engine/engine.ts";
import { HEATER_LIMITS } from "../../jobs/settings/settings-schema.ts";
import { HostError } from "../../util/errors.ts";

/**
 * The G-code behind each printer command of the API, as pure functions of validated input. Marlin
 * references: M104/M140/M141 set a heater's target without waiting; G91/G90 relative/absolute moves;
 * M83 relative extrusion; M106 S0–255 / M107 part fan; M84 steppers off.
 */

export interface HeaterTargets {
  /** Nozzle targets by tool number. */
  tools: Map<number, number>;
  bed?: number;
  chamber?: number;
}

export interface HeaterLimits {
  nozzle: number;
  bed: number;
  chamber: number;
}

/** Targets over the limit (the profile's, else HEATER_LIMITS) are refused before anything is sent. */
export function targetLines(targets: HeaterTargets, limits: HeaterLimits = HEATER_LIMITS): string[] {
  const lines: string[] = [];
  const check = (what: string, value: number, max: number): number => {
    if (!Number.isFinite(value) || value < 0 || value > max)
      throw new HostError("INVALID_INPUT", `body.${what}: a target must be between 0 and ${max} °C`);
    return Math.round(value);
  };
  for (const [tool, value] of [...targets.tools].sort((a, b) => a[0] - b[0]))
    lines.push(`M104 T${tool} S${check(`tool${tool}`, value, limits.nozzle)}`);
  if (targets.bed !== undefined) lines.push(`M140 S${check("bed", targets.bed, limits.bed)}`);
  if (targets.chamber !== undefined) lines.push(`M141 S${check("chamber", targets.chamber, limits.chamber)}`);
  return lines;
}

export type Axis = "x" | "y" | "z";

export interface Jog {
  x?: number;
  y?: number;
  z?: number;
  /** mm/min; default 6000 for moves in X/Y, 600 for Z alone. */
  feedrate?: number;
}

const DEFAULT_XY_FEEDRATE = 6000;
const DEFAULT_Z_FEEDRATE = 600;

/** `%g`-like: no trailing zeros, at most 3 decimals (µm are below any printer's resolution). */
function num(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/** A relative move, then absolute positioning again (what idle G-code and the pause script expect). */
export function jogLines(jog: Jog): string[] {
  const words: string[] = [];
  for (const axis of ["x", "y", "z"] as const) {
    const d = jog[axis];
    if (d !== undefined && d !== 0) words.push(`${axis.toUpperCase()}${num(d)}`);
  }
  if (words.length === 0) throw new HostError("INVALID_INPUT", "body: give a distance in x, y or z");
  const xy = (jog.x ?? 0) !== 0 || (jog.y ?? 0) !== 0;
  const feedrate = jog.feedrate ?? (xy ? DEFAULT_XY_FEEDRATE : DEFAULT_Z_FEEDRATE);
  return ["G91", `G1 ${words.join(" ")} F${num(feedrate)}`, "G90"];
}

/** `G28` homes every axis; `G28 X Y` only those named. */
export function homeLine(axes: readonly Axis[] | undefined): string {
  const unique = [...new Set(axes ?? [])].sort();
  return unique.length === 0 || unique.length === 3
    ? "G28"
    : `G28 ${unique.map((a) => a.toUpperCase()).join(" ")}`;
}

/** Relative extrusion of `amount` mm (negative retracts), default 300 mm/min (5 mm/s). */
export function extrudeLines(amount: number, feedrate = 300): string[] {
  if (amount === 0) throw new HostError("INVALID_INPUT", "body.amount: must not be 0");
  return ["M83", `G1 E${num(amount)} F${num(feedrate)}`];
}

/** Part fan: 0–100 % → M106 S0–255; 0 is M107 (off). */
export function fanLine(percent: number): string {
  const pwm = Math.round((percent / 100) * 255);
  return pwm === 0 ? "M107" : `M106 S${pwm}`;
}

/** Marlin's MAX_CMD_SIZE: the line buffer assumed until a firmware is known. */
const DEFAULT_LINE_BUFFER = 96;

/** The connected firmware's line buffer (its profile's `maxLineLength`), else Marlin's. */
export function lineBufferOf(snapshot: EngineSnapshot): number {
  return snapshot.firmware?.profile.serial.maxLineLength ?? DEFAULT_LINE_BUFFER;
}

/** Line numbers the host may reach in a long session, for the line-buffer bound of terminal lines. */
const TERMINAL_LINE_NUMBER_BOUND = 9_999_999;

/** Codes the host owns: line numbering is the send window's, and M112 goes past every queue. */
const HOST_OWNED: ReadonlyMap<string, string> = new Map([
  ["M110", "M110 renumbers lines, which the host does itself"],
]);

export type TerminalLine = { kind: "emergency" } | { kind: "send"; command: string };

/**
 * A terminal line as it will be sent, or INVALID_INPUT saying why not: one line (no CR, LF or other
 * control characters), ASCII, no `N…`/`*` framing (the host numbers and checksums lines), no M110,
 * and short enough for the firmware's line buffer once numbered. M112 is an emergency stop.
 */
export function terminalLine(raw: string, maxLineLength: number, where = "body.command"): TerminalLine {
  if (/\p{Cc}/u.test(raw))
    throw new HostError(
      "INVALID_INPUT",
      `${where}: one line only; control characters (CR, LF, …) are not allowed`,
    );
  if (!isAscii(raw)) throw new HostError("INVALID_INPUT", `${where}: G-code is ASCII; this line is not`);
  const command = stripComment(raw);
  if (command === "") throw new HostError("INVALID_INPUT", `${where}: the line has no command`);
  if (/^N\d/i.test(command) || command.includes("*"))
    throw new HostError(
      "INVALID_INPUT",
      `${where}: send the bare command; the host adds line numbers and checksums`,
    );
  const code = commandCode(command);
  if (code === "M112") return { kind: "emergency" };
  const owned = code === null ? undefined : HOST_OWNED.get(code);
  if (owned !== undefined) throw new HostError("INVALID_INPUT", `${where}: ${owned}`);
  if (!fitsLineBuffer(command, TERMINAL_LINE_NUMBER_BOUND, maxLineLength))
    throw new HostError(
      "LINE_TOO_LONG",
      `${where}: too long for the firmware's line buffer (${maxLineLength - 1} characters with line number and checksum)`,
    );
  return { kind: "send", command };
}
