import type { Logger } from "../../util/log.ts";
import { TypedEmitter } from "../../util/typed-emitter.ts";
import type { EngineEvents, EngineSnapshot, Unsubscribe } from "./engine.ts";
import {
  applyEngineEvent,
  type EngineEvent,
  type EngineEventName,
  initialSnapshot,
} from "./engine-snapshot.ts";

/**
 * An engine's snapshot and its listeners. `publish` folds the event into the snapshot first, so a
 * listener reads the snapshot as of the event it is handed. A listener that throws is logged and
 * the others still run: the publisher is the printer's state machine or the serial read path, which
 * a bug in the dashboard must not stop.
 */
export class EngineEventHub extends TypedEmitter<EngineEvents> {
  readonly #log: Logger;
  #snapshot: EngineSnapshot = initialSnapshot();

  constructor(log: Logger) {
    super();
    this.#log = log;
  }

  get snapshot(): EngineSnapshot {
    return this.#snapshot;
  }

  /** Replaces the snapshot without an event (the first picture of a worker's engine). */
  reset(snapshot: EngineSnapshot): void {
    this.#snapshot = snapshot;
  }

  override on<K extends EngineEventName>(
    event: K,
    listener: (...args: EngineEvents[K]) => void,
  ): Unsubscribe {
    return super.on(event, (...args) => {
      try {
        listener(...args);
      } catch (err) {
        this.#log.error({ err, event }, "an engine event listener failed");
      }
    });
  }

  publish(e: EngineEvent): void {
    this.#snapshot = applyEngineEvent(this.#snapshot, e);
    (this.emit as (event: EngineEventName, ...args: unknown[]) => void)(e.event, ...e.args);
  }
}
