/** The dashboard's view of the printer, fed by REST at start and by the push socket after. */
import type {
  PrinterStateName,
  PushFirmware,
  PushRecovery,
  PushTerminalLine,
  SessionResponse,
  TemperaturesDto,
} from "../../../server/api/contract.ts";

/** Progress as shown: the REST and push shapes made one. */
export interface LiveProgress {
  file: string;
  jobId: number | null;
  fraction: number;
  layer: number;
  layers: number;
  elapsedSeconds: number;
  remainingSeconds: number;
  plusMinusSeconds: number;
  /** ms since the epoch (server clock) when the print should end. */
  finishesAt: number;
}

export interface LiveJob {
  file: string;
  pausedBy: string | null;
  progress: LiveProgress | null;
}

/** One heater's samples for the chart: seconds since the epoch, actual, target. */
export interface HeaterSeries {
  t: number[];
  actual: number[];
  target: (number | null)[];
}

export interface Notice {
  id: number;
  kind: "info" | "error";
  text: string;
}

export interface LiveState {
  session: SessionResponse | null;
  permissions: string[];
  /** The push socket is connected. */
  online: boolean;
  /** The socket was connected once (so "reconnecting" rather than "connecting"). */
  everOnline: boolean;
  state: PrinterStateName | null;
  stateReason: string;
  firmware: PushFirmware | { name: string; profile: string } | null;
  temperatures: TemperaturesDto;
  job: LiveJob | null;
  interrupted: PushRecovery | null;
  history: Record<string, HeaterSeries>;
  /** Bumped on every new sample, so charts know to redraw. */
  historyVersion: number;
  terminal: PushTerminalLine[];
  terminalSubscribed: boolean;
  /** Bumped when time-lapses or files change (a job ended, a render finished). */
  libraryVersion: number;
  notices: Notice[];
}

export const initialLive: LiveState = {
  session: null,
  permissions: [],
  online: false,
  everOnline: false,
  state: null,
  stateReason: "",
  firmware: null,
  temperatures: {},
  job: null,
  interrupted: null,
  history: {},
  historyVersion: 0,
  terminal: [],
  terminalSubscribed: false,
  libraryVersion: 0,
  notices: [],
};
