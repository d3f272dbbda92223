import { HostError, isHostError } from "../../util/errors.ts";
import type { JobCamera, JobFiles } from "../control/job-ports.ts";
import type { Engine, EngineError, EngineSnapshot } from "./engine.ts";
import type { EngineEvent } from "./engine-snapshot.ts";

/**
 * The messages between `WorkerEngine` (main thread) and `EngineHost` (the engine's worker). Both
 * directions carry requests with ids answered once each: the main thread calls the engine's
 * commands, the worker asks the main thread's ports: the file store's `JobFiles` and the camera. The
 * worker posts `ready` with its snapshot once, then every engine event as it happens, in order;
 * the main side folds the same events into its mirror of the snapshot. Everything is plain data
 * (structured clone): errors cross as `EngineError` and are re-created as `HostError`.
 */

/** The Engine's commands that cross the boundary (snapshot, on and whenFinished are answered on the main side). */
export type EngineCommand =
  | "connect"
  | "disconnect"
  | "send"
  | "print"
  | "pause"
  | "resume"
  | "cancel"
  | "emergencyStop"
  | "resumeInterrupted"
  | "discardInterrupted"
  | "configure"
  | "stop";

/** What the worker's job layer asks of the main thread: the file store and the camera. */
export type HostPorts = JobFiles & JobCamera;
export type PortRequest = keyof HostPorts;

export type Settled = { ok: true; value: unknown } | { ok: false; error: EngineError };

/** Main thread → worker. */
export type ToEngineWorker =
  | { kind: "call"; id: number; command: EngineCommand; args: unknown[] }
  | { kind: "answer"; id: number; settled: Settled }
  /**
   * Whether anyone on the main thread listens to `line` (the terminal). Lines are one per `ok`, so
   * they cross the boundary only while someone does.
   */
  | { kind: "lines"; on: boolean };

/** Worker → main thread. */
export type FromEngineWorker =
  | { kind: "ready"; snapshot: EngineSnapshot }
  /** The worker could not build or start its engine; it ends after this. */
  | { kind: "failed"; error: EngineError }
  | { kind: "event"; event: EngineEvent }
  | { kind: "result"; id: number; settled: Settled }
  | { kind: "ask"; id: number; request: PortRequest; arg: unknown };

export type CommandArgs<C extends EngineCommand> = Parameters<Engine[C]>;
export type CommandResult<C extends EngineCommand> = Awaited<ReturnType<Engine[C]>>;

/** An error as it crosses the boundary; anything that is not a HostError becomes STORAGE or NOT_FOUND. */
export function toEngineError(err: unknown): EngineError {
  if (isHostError(err)) {
    const details = cloneable(err.details);
    return { code: err.code, message: err.message, ...(details !== null ? { details } : {}) };
  }
  const errno = (err as NodeJS.ErrnoException | null)?.code;
  const message = err instanceof Error ? err.message : String(err);
  return { code: errno === "ENOENT" ? "NOT_FOUND" : "STORAGE", message };
}

export function fromEngineError(error: EngineError): HostError {
  return new HostError(error.code, error.message, error.details ?? {});
}

/** Settles `task` into a message body; never rejects. */
export async function settle(task: () => Promise<unknown>): Promise<Settled> {
  try {
    return { ok: true, value: await task() };
  } catch (err) {
    return { ok: false, error: toEngineError(err) };
  }
}

/** `details` as structured clone can carry it (functions and class instances with them cannot). */
function cloneable(details: Readonly<Record<string, unknown>>): Record<string, unknown> | null {
  if (Object.keys(details).length === 0) return null;
  try {
    return structuredClone(details) as Record<string, unknown>;
  } catch {
    try {
      return JSON.parse(JSON.stringify(details)) as Record<string, unknown>;
    } catch {
      return null;
    }
  }
}
