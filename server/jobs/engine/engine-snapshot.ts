import type { EngineEvents, EngineSnapshot } from "./engine.ts";

export type EngineEventName = keyof EngineEvents & string;

/** One event with its arguments: what a worker posts, and what the snapshot is folded from. */
export type EngineEvent = { [K in EngineEventName]: { event: K; args: EngineEvents[K] } }[EngineEventName];

/** Every event name once (the Record makes the compiler check that none is missing). */
const EVENT_NAMES: Record<EngineEventName, true> = {
  state: true,
  firmware: true,
  temperatures: true,
  line: true,
  progress: true,
  layer: true,
  started: true,
  paused: true,
  resumed: true,
  finished: true,
  action: true,
  failure: true,
  interrupted: true,
};

export const ENGINE_EVENT_NAMES = Object.keys(EVENT_NAMES) as EngineEventName[];

export function initialSnapshot(): EngineSnapshot {
  return {
    state: "disconnected",
    stateReason: "not connected",
    firmware: null,
    temperatures: {},
    job: null,
    interrupted: null,
  };
}

/**
 * The snapshot after `e`. Pure, and a new object whenever something changed, so a snapshot once
 * handed out never changes under its holder. Both sides of a worker fold the same events through
 * this function, so the mirror on the main thread equals the worker's own snapshot.
 */
export function applyEngineEvent(snapshot: EngineSnapshot, e: EngineEvent): EngineSnapshot {
  const { job } = snapshot;
  switch (e.event) {
    case "state": {
      const [{ to, reason }] = e.args;
      // A new or closed link has no firmware until the handshake names it again.
      const linkGone = to === "disconnected" || to === "connecting";
      return { ...snapshot, state: to, stateReason: reason, firmware: linkGone ? null : snapshot.firmware };
    }
    case "firmware":
      return { ...snapshot, firmware: e.args[0] };
    case "temperatures":
      return { ...snapshot, temperatures: e.args[0] };
    case "started":
      return { ...snapshot, job: { file: e.args[0].file, pausedBy: null, progress: null } };
    case "paused":
      return job === null ? snapshot : { ...snapshot, job: { ...job, pausedBy: e.args[0] } };
    case "resumed":
      return job === null ? snapshot : { ...snapshot, job: { ...job, pausedBy: null } };
    case "progress":
      return job === null ? snapshot : { ...snapshot, job: { ...job, progress: e.args[0] } };
    case "finished":
      return { ...snapshot, job: null };
    case "interrupted":
      return { ...snapshot, interrupted: e.args[0] };
    default:
      return snapshot;
  }
}
