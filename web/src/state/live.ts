/** Feeds the live store: REST once at sign-in, then the push socket's messages. */
import type {
  CommandsAccepted,
  ProgressDto,
  PushAck,
  PushEvent,
  PushProgress,
  SessionResponse,
  TemperatureSampleDto,
  TemperaturesDto,
} from "../../../server/api/contract.ts";
import { api, connectPush, errorMessage, type PushSocket } from "../api/client.ts";
import { heaterLabel } from "../util/format.ts";
import {
  type HeaterSeries,
  initialLive,
  type LiveJob,
  type LiveProgress,
  type LiveState,
} from "./live-types.ts";
import { createStore, useStore } from "./store.ts";

export const live = createStore<LiveState>(initialLive);
export const useLive = <T>(select: (s: LiveState) => T): T => useStore(live, select);

const WINDOW_SECONDS = 30 * 60;
const TERMINAL_MAX = 1000;
let socket: PushSocket | null = null;
let noticeId = 0;
let onSignedOut: (() => void) | null = null;
/** True while the own session is being replaced (password change): its end is not a sign-out. */
let renewing = false;

export function notify(kind: "info" | "error", text: string): void {
  // The same message twice (an action's answer and its push event) shows once.
  if (live.get().notices.some((n) => n.kind === kind && n.text === text)) return;
  const id = ++noticeId;
  live.set((s) => ({ notices: [...s.notices.slice(-3), { id, kind, text }] }));
  setTimeout(() => dismissNotice(id), kind === "error" ? 8000 : 4000);
}

export function dismissNotice(id: number): void {
  live.set((s) => ({ notices: s.notices.filter((n) => n.id !== id) }));
}

/** Runs an action and shows its error message, if any. Resolves to whether it worked. */
export async function attempt(action: () => Promise<unknown>, success?: string): Promise<boolean> {
  try {
    await action();
    if (success) notify("info", success);
    return true;
  } catch (error) {
    notify("error", errorMessage(error));
    return false;
  }
}

function fromPush(p: PushProgress): LiveProgress {
  return {
    file: p.file,
    jobId: p.jobId,
    fraction: p.fraction,
    layer: p.layer,
    layers: p.layers,
    elapsedSeconds: p.elapsedSeconds,
    remainingSeconds: p.eta.remainingSeconds,
    plusMinusSeconds: p.eta.plusMinusSeconds,
    finishesAt: p.at + p.eta.remainingSeconds * 1000,
  };
}

function fromRest(p: ProgressDto): LiveProgress {
  return {
    file: p.file,
    jobId: p.jobId,
    fraction: p.percent / 100,
    layer: p.layer,
    layers: p.layers,
    elapsedSeconds: p.elapsedSeconds,
    remainingSeconds: p.eta.remainingSeconds,
    plusMinusSeconds: p.eta.plusMinusSeconds,
    finishesAt: p.eta.finishesAt,
  };
}

/** The current job as the snapshot or the REST call gives it, with its progress converted by `from`. */
function toLiveJob<P>(
  job: { file: string; pausedBy: LiveJob["pausedBy"]; progress: P | null } | null,
  from: (p: P) => LiveProgress,
): LiveJob | null {
  return job && { file: job.file, pausedBy: job.pausedBy, progress: job.progress && from(job.progress) };
}

function trim(series: HeaterSeries, now: number): void {
  let drop = 0;
  while (drop < series.t.length && (series.t[drop] ?? 0) < now - WINDOW_SECONDS) drop++;
  if (drop > 0) {
    series.t.splice(0, drop);
    series.actual.splice(0, drop);
    series.target.splice(0, drop);
  }
}

function addSamples(temps: TemperaturesDto, atMs: number): void {
  const t = atMs / 1000;
  live.set((s) => {
    const history = { ...s.history };
    for (const [key, reading] of Object.entries(temps)) {
      const heater = heaterLabel(key);
      const series = history[heater] ?? { t: [], actual: [], target: [] };
      series.t.push(t);
      series.actual.push(reading.actual);
      series.target.push(reading.target);
      trim(series, t);
      history[heater] = series;
    }
    return { history, historyVersion: s.historyVersion + 1, temperatures: temps };
  });
}

/** Samples from the API into chart series, by heater label (tool0, bed, …). */
export function seriesFromSamples(samples: TemperatureSampleDto[]): Record<string, HeaterSeries> {
  const out: Record<string, HeaterSeries> = {};
  for (const sample of samples) {
    const heater = heaterLabel(sample.heater);
    const series = out[heater] ?? { t: [], actual: [], target: [] };
    series.t.push(sample.at / 1000);
    series.actual.push(sample.actual);
    series.target.push(sample.target);
    out[heater] = series;
  }
  return out;
}

function onEvent(e: PushEvent): void {
  switch (e.type) {
    case "started":
      live.set({ job: { file: e.file, pausedBy: null, progress: null } });
      notify("info", `Printing ${e.file}`);
      break;
    case "paused":
      live.set((s) => ({ job: s.job && { ...s.job, pausedBy: e.by } }));
      break;
    case "resumed":
      live.set((s) => ({ job: s.job && { ...s.job, pausedBy: null } }));
      break;
    case "done":
    case "cancelled":
    case "failed":
      live.set((s) => ({ libraryVersion: s.libraryVersion + 1 }));
      notify(
        e.type === "failed" ? "error" : "info",
        `${e.file}: ${e.type}${e.reason ? ` (${e.reason})` : ""}`,
      );
      break;
    case "recoveryAvailable":
      live.set({ interrupted: e.recovery });
      break;
    case "recoveryCleared":
      live.set({ interrupted: null });
      break;
    case "error":
      notify("error", e.message);
      break;
    case "timelapseWarning":
      notify("error", `Time-lapse: ${e.message}`);
      break;
    case "timelapseRendered":
      live.set((s) => ({ libraryVersion: s.libraryVersion + 1 }));
      notify("info", `Time-lapse ready: ${e.name}`);
      break;
    case "timelapseFailed":
      notify("error", `Time-lapse failed: ${e.message}`);
      break;
    default:
      break;
  }
}

function wire(s: PushSocket): void {
  s.on("connect", () => {
    live.set({ online: true, everOnline: true });
    if (live.get().terminalSubscribed) s.emit("subscribe", { terminal: true }, () => undefined);
  });
  s.on("disconnect", () => live.set({ online: false }));
  s.on("connect_error", (err) => {
    live.set({ online: false });
    if (err.message === "UNAUTHORIZED" && !renewing) onSignedOut?.();
  });
  s.on("closing", (c) => {
    if (c.code !== "SHUTDOWN" && !renewing) onSignedOut?.();
  });
  s.on("snapshot", (snap) => {
    live.set({
      permissions: snap.permissions,
      state: snap.state,
      stateReason: snap.stateReason,
      firmware: snap.firmware,
      job: toLiveJob(snap.job, fromPush),
      interrupted: snap.interrupted,
    });
    addSamples(snap.temperatures, snap.at);
  });
  s.on("state", (st) => {
    const ended = st.to === "idle" || st.to === "disconnected" || st.to === "error";
    live.set((cur) => ({ state: st.to, stateReason: st.reason, job: ended ? null : cur.job }));
  });
  s.on("temperatures", (t) => addSamples(t.temperatures, t.at));
  s.on("progress", (p) => {
    live.set((cur) => ({
      job: { file: p.file, pausedBy: cur.job?.pausedBy ?? null, progress: fromPush(p) },
    }));
  });
  s.on("event", onEvent);
  s.on("terminal", (batch) => {
    live.set((cur) => {
      const lines = [...cur.terminal, ...batch.lines];
      if (batch.dropped > 0) lines.push({ dir: "recv", text: `… ${batch.dropped} lines dropped` });
      return { terminal: lines.slice(-TERMINAL_MAX) };
    });
  });
}

async function seed(): Promise<void> {
  try {
    const [printer, temps] = await Promise.all([api.printer(), api.temperatures(30)]);
    live.set({
      state: printer.state,
      stateReason: printer.stateReason,
      firmware: printer.firmware && { name: printer.firmware.name, profile: printer.firmware.profile.id },
      temperatures: printer.temperatures,
      interrupted: printer.interrupted,
      job: toLiveJob(printer.job, fromRest),
      history: seriesFromSamples(temps.history ?? []),
      historyVersion: live.get().historyVersion + 1,
    });
  } catch (error) {
    notify("error", errorMessage(error));
  }
}

/** Signed in: load the printer, open the socket. `signedOut` runs when the session ends. */
export function startLive(session: SessionResponse, signedOut: () => void): void {
  onSignedOut = signedOut;
  live.set({ session, permissions: session.permissions });
  void seed();
  socket?.disconnect();
  socket = connectPush();
  wire(socket);
}

/**
 * Runs a call that replaces the own session (a password change) and carries on with the new one:
 * the old session's socket ends without signing out, and a new socket opens with the new cookie.
 */
export async function renewSession(action: () => Promise<SessionResponse | null>): Promise<void> {
  renewing = true;
  try {
    const session = await action();
    if (session) {
      live.set({ session, permissions: session.permissions });
      socket?.disconnect();
      socket = connectPush();
      wire(socket);
    }
  } finally {
    renewing = false;
  }
}

export function stopLive(): void {
  socket?.disconnect();
  socket = null;
  onSignedOut = null;
  live.set({ ...initialLive });
}

export function subscribeTerminal(on: boolean): void {
  live.set({ terminalSubscribed: on });
  socket?.emit("subscribe", { terminal: on }, (ack) => {
    if (!ack.ok) notify("error", ack.error.message);
  });
}

export function sendTerminal(line: string): Promise<PushAck<CommandsAccepted>> {
  return new Promise((resolve) => {
    if (!socket?.connected) {
      resolve({ ok: false, error: { code: "DISCONNECTED", message: "not connected to the printer host" } });
      return;
    }
    socket.timeout(10_000).emit("terminal:send", { line }, (err, ack) => {
      resolve(err ? { ok: false, error: { code: "TIMEOUT", message: "no answer from the host" } } : ack);
    });
  });
}

export function usePermission(permission: string): boolean {
  return useLive((s) => s.permissions.includes(permission));
}
