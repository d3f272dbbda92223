import type { Engine, Unsubscribe } from "../../jobs/engine/engine.ts";
import type { Logger } from "../../util/log.ts";

/**
 * OctoPrint's "selected file", which Layerwatch's engine does not have: the file an upload with
 * `select`, a `select` command or a print chose, so that `POST /api/job {"command":"start"}` prints it
 * and `/api/job` shows it between prints. Kept in memory (a restart forgets it, as OctoPrint does).
 * Also remembers who started the running print, and whether a print is on its way (started by this
 * module, not yet streaming: the engine may still be waiting for the file's analysis).
 */
export class Selection {
  readonly #engine: Engine;
  readonly #log: Logger;
  #file: string | null = null;
  #user: string | null = null;
  #starting: Promise<number> | null = null;

  constructor(engine: Engine, log: Logger) {
    this.#engine = engine;
    this.#log = log;
  }

  /** Follows prints started anywhere (the own API, the dashboard): they become the selection. */
  watch(): Unsubscribe {
    return this.#engine.on("started", ({ file, user }) => {
      this.#file = file;
      this.#user = user;
    });
  }

  /** The printing file, else the selected one. */
  get file(): string | null {
    return this.#engine.snapshot().job?.file ?? this.#file;
  }

  /** Who started the running print; null when none runs. */
  get user(): string | null {
    return this.#engine.snapshot().job === null ? null : this.#user;
  }

  get starting(): boolean {
    return this.#starting !== null;
  }

  /** Idle, and no print on its way: a print may start. */
  ready(): boolean {
    return this.#engine.snapshot().state === "idle" && this.#starting === null;
  }

  select(path: string): void {
    this.#file = path;
  }

  /** Deselects `path`, or anything inside it when it is a folder (it was deleted). */
  forget(path: string): void {
    if (this.#file !== null && (this.#file === path || this.#file.startsWith(`${path}/`))) this.#file = null;
  }

  /**
   * Selects `path` and starts printing it; resolves with the history id once it streams. The caller
   * checks `ready()` first; the engine refuses a busy printer with INVALID_STATE.
   */
  startPrint(path: string, user: string | null): Promise<number> {
    this.#file = path;
    const started = this.#engine.print(path, { user });
    this.#starting = started;
    const done = () => {
      if (this.#starting === started) this.#starting = null;
    };
    started.then(done, (err: unknown) => {
      done();
      this.#log.debug({ err, path }, "print did not start");
    });
    return started;
  }
}
