/**
 * Printer commands and the terminal (/api/v1/printer/…). Actions that run on in the background
 * answer 202 with a body saying what was queued.
 */

/** At least one heater. `toolN` for nozzle N. */
export interface TargetsRequest {
  bed?: number;
  chamber?: number;
  [tool: `tool${number}`]: number | undefined;
}

export interface PresetRequest {
  name: string;
}

/** Relative distances, mm; feedrate mm/min. */
export interface JogRequest {
  x?: number;
  y?: number;
  z?: number;
  feedrate?: number;
}

export interface HomeRequest {
  /** Default: all. */
  axes?: ("x" | "y" | "z")[];
}

export interface ExtrudeRequest {
  /** mm; negative retracts. */
  amount: number;
  /** mm/min. */
  feedrate?: number;
}

export interface FanRequest {
  /** 0–100 %. */
  speed: number;
}

export type TerminalRequest = { command: string } | { commands: string[] };

/** The G-code lines queued (202), or `emergencyStop` when the line was M112. */
export interface CommandsAccepted {
  commands: string[];
  emergencyStop?: boolean;
}
