import { commandCode } from "../../gcode/line.ts";
import { parseWords } from "../analysis/gcode-words.ts";

/**
 * What a G-code file has set up by a given line: the state a pause must restore and a recovery must
 * rebuild before the next line of the file makes sense. Logical coordinates, as the file sees them.
 */
export interface ModalState {
  /** G90 (true) / G91 (false) for X, Y, Z. */
  absolute: boolean;
  /** M83 (true) / M82 (false). Marlin's G90/G91 set E's mode too; M82/M83 then override it. */
  relativeE: boolean;
  x: number;
  y: number;
  z: number;
  /** The file's E coordinate (after its own G92 E resets). */
  e: number;
  /** Last F, mm/min; null until the file sets one. */
  feedrate: number | null;
  /** M106 S per fan index (P), 0–255. */
  fans: Record<number, number>;
  tool: number;
  /** M104/M109 S per tool, °C. */
  hotendTargets: Record<number, number>;
  bedTarget: number;
  chamberTarget: number;
}

export function initialModalState(): ModalState {
  return {
    absolute: true,
    relativeE: false,
    x: 0,
    y: 0,
    z: 0,
    e: 0,
    feedrate: null,
    fans: {},
    tool: 0,
    hotendTargets: {},
    bedTarget: 0,
    chamberTarget: 0,
  };
}

export function copyModalState(state: ModalState): ModalState {
  return {
    ...state,
    fans: { ...state.fans },
    hotendTargets: { ...state.hotendTargets },
  };
}

/** Applies one command (comments already stripped; `code` is its `commandCode`) to `state`, in place. */
export function applyCommand(state: ModalState, command: string, code = commandCode(command)): void {
  if (code === null) return;
  switch (code) {
    case "G0":
    case "G1":
    case "G2":
    case "G3":
      move(state, parseWords(command));
      return;
    case "G28":
      home(state, command);
      return;
    case "G90":
      state.absolute = true;
      state.relativeE = false;
      return;
    case "G91":
      state.absolute = false;
      state.relativeE = true;
      return;
    case "M82":
      state.relativeE = false;
      return;
    case "M83":
      state.relativeE = true;
      return;
    case "G92":
      setPosition(state, parseWords(command));
      return;
    case "M104":
    case "M109":
      heater(state, parseWords(command), "hotend");
      return;
    case "M140":
    case "M190":
      heater(state, parseWords(command), "bed");
      return;
    case "M141":
    case "M191":
      heater(state, parseWords(command), "chamber");
      return;
    case "M106": {
      const words = parseWords(command);
      state.fans[words.get("P") ?? 0] = clampFan(words.get("S") ?? 255);
      return;
    }
    case "M107":
      state.fans[parseWords(command).get("P") ?? 0] = 0;
      return;
    default:
      if (code.startsWith("T")) state.tool = Number(code.slice(1));
  }
}

function move(state: ModalState, words: Map<string, number>): void {
  for (const axis of ["X", "Y", "Z"] as const) {
    const value = words.get(axis);
    if (value === undefined) continue;
    const key = axis.toLowerCase() as "x" | "y" | "z";
    state[key] = state.absolute ? value : state[key] + value;
  }
  const e = words.get("E");
  if (e !== undefined) state.e = state.relativeE ? state.e + e : e;
  const f = words.get("F");
  if (f !== undefined && f > 0) state.feedrate = f;
}

/** G28 with no axis homes all three; the homed axes read 0 (home offsets aside). */
function home(state: ModalState, command: string): void {
  const named = ["X", "Y", "Z"].filter((axis) => new RegExp(`\\b${axis}`, "i").test(command.slice(3)));
  for (const axis of named.length === 0 ? ["X", "Y", "Z"] : named) {
    state[axis.toLowerCase() as "x" | "y" | "z"] = 0;
  }
}

function setPosition(state: ModalState, words: Map<string, number>): void {
  if (words.size === 0) {
    state.x = 0;
    state.y = 0;
    state.z = 0;
    state.e = 0;
    return;
  }
  for (const axis of ["X", "Y", "Z", "E"] as const) {
    const value = words.get(axis);
    if (value !== undefined) state[axis.toLowerCase() as "x" | "y" | "z" | "e"] = value;
  }
}

function heater(state: ModalState, words: Map<string, number>, kind: "hotend" | "bed" | "chamber"): void {
  const target = words.get("S") ?? words.get("R");
  if (target === undefined) return;
  if (kind === "bed") state.bedTarget = target;
  else if (kind === "chamber") state.chamberTarget = target;
  else state.hotendTargets[words.get("T") ?? state.tool] = target;
}

function clampFan(value: number): number {
  return Math.max(0, Math.min(255, Math.round(value)));
}
