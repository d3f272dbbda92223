import { EventEmitter } from "node:events";

/**
 * An EventEmitter whose event names and payloads come from one map, so `on` and `emit` are checked
 * against each other. A listener that throws is not caught here: listeners are our own code.
 */
// biome-ignore lint/suspicious/noExplicitAny: the map's values are tuples of any payload types
export class TypedEmitter<Events extends { [K in keyof Events]: any[] }> {
  readonly #emitter = new EventEmitter();

  on<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): () => void {
    this.#emitter.on(event, listener as (...args: unknown[]) => void);
    return () => this.#emitter.off(event, listener as (...args: unknown[]) => void);
  }

  once<K extends keyof Events & string>(event: K, listener: (...args: Events[K]) => void): () => void {
    this.#emitter.once(event, listener as (...args: unknown[]) => void);
    return () => this.#emitter.off(event, listener as (...args: unknown[]) => void);
  }

  protected emit<K extends keyof Events & string>(event: K, ...args: Events[K]): void {
    this.#emitter.emit(event, ...args);
  }

  removeAllListeners(): void {
    this.#emitter.removeAllListeners();
  }
}
