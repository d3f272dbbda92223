import type { Timer } from "./scheduler.ts";

/**
 * A one-file SD card, enough for M20–M27: the file list, selecting, starting, pausing and the
 * progress report. Printing from it only advances the byte position at `BYTES_PER_SECOND`.
 */
export interface SdFile {
  readonly shortName: string;
  readonly longName: string;
  readonly size: number;
}

export const SD_FILES: readonly SdFile[] = [{ shortName: "CUBE.GCO", longName: "cube.gcode", size: 672986 }];

/** Simulated bytes of G-code an SD print consumes per second. */
const BYTES_PER_SECOND = 1000;

export class SdCard {
  selected: SdFile | null = null;
  /** Fires `Done printing file` at the end of the running print. */
  doneTimer: Timer | undefined;
  #position = 0;
  #resumedAt: number | null = null;

  find(name: string): SdFile | null {
    const upper = name.toUpperCase();
    return SD_FILES.find((f) => f.shortName === upper || f.longName.toUpperCase() === upper) ?? null;
  }

  select(file: SdFile): void {
    this.selected = file;
    this.#position = 0;
    this.#resumedAt = null;
  }

  get printing(): boolean {
    return this.#resumedAt !== null;
  }

  position(now: number): number {
    const file = this.selected;
    if (file === null) return 0;
    if (this.#resumedAt === null) return this.#position;
    return Math.min(
      file.size,
      Math.floor(this.#position + ((now - this.#resumedAt) * BYTES_PER_SECOND) / 1000),
    );
  }

  /** Starts or resumes; returns the simulated time at which the file ends. */
  start(now: number): number {
    const file = this.selected;
    if (file === null) return now;
    if (this.#resumedAt === null) this.#resumedAt = now;
    return this.#resumedAt + ((file.size - this.#position) * 1000) / BYTES_PER_SECOND;
  }

  pause(now: number): void {
    this.#position = this.position(now);
    this.#resumedAt = null;
  }

  seek(position: number): void {
    this.#position = Math.max(0, Math.min(position, this.selected?.size ?? 0));
    if (this.#resumedAt !== null) this.#resumedAt = null;
  }

  /** The print reached the end of the file, which closes it. */
  finish(): void {
    this.doneTimer = undefined;
    this.reset();
  }

  reset(): void {
    this.doneTimer?.cancel();
    this.doneTimer = undefined;
    this.selected = null;
    this.#position = 0;
    this.#resumedAt = null;
  }
}
