import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { HostError } from "../../util/errors.ts";
import { errnoCode, writeFileAtomic } from "../../util/fs-util.ts";
import type { Logger } from "../../util/log.ts";
import { TypedEmitter } from "../../util/typed-emitter.ts";
import {
  DEFAULT_SETTINGS,
  mergeSettings,
  SETTINGS,
  SETTINGS_PATCH,
  type Settings,
  type SettingsPatch,
  settingsIssue,
} from "./settings-schema.ts";

export interface SettingsStoreDeps {
  /** `<dataDir>/settings.json`; its folder is created on the first write. */
  file: string;
  log: Logger;
  /** What a missing file or key means; DEFAULT_SETTINGS unless the composition root knows better (config). */
  defaults?: Settings;
}

export interface SettingsEvents {
  /** After a change is on disk. */
  change: [settings: Settings, previous: Settings];
}

function frozen(settings: Settings): Settings {
  const copy = structuredClone(settings);
  Object.freeze(copy.serial);
  Object.freeze(copy.jobs.park);
  Object.freeze(copy.jobs);
  for (const preset of copy.temperaturePresets) Object.freeze(preset);
  Object.freeze(copy.camera.source);
  Object.freeze(copy.camera);
  Object.freeze(copy.timelapse.renderOn);
  if (copy.timelapse.park !== null) Object.freeze(copy.timelapse.park);
  Object.freeze(copy.timelapse);
  Object.freeze(copy.temperaturePresets);
  return Object.freeze(copy);
}

/**
 * The settings file: loaded once, read synchronously, changed with `update(patch)`, which validates,
 * writes the whole file atomically (temp file, fsync, rename) and then emits `change`. Updates run one
 * at a time, each on top of the last. A file written by hand that breaks a rule is refused at load with
 * the key named (CONFIG), not half-applied. Construct, `load()`, use.
 */
export class SettingsStore extends TypedEmitter<SettingsEvents> {
  readonly #deps: SettingsStoreDeps;
  #current: Settings;
  #writing: Promise<unknown> = Promise.resolve();

  constructor(deps: SettingsStoreDeps) {
    super();
    this.#deps = deps;
    this.#current = frozen(deps.defaults ?? DEFAULT_SETTINGS);
  }

  /** Reads the file (missing: the defaults). CONFIG naming the file and key when it is not valid. */
  async load(): Promise<Settings> {
    const { file } = this.#deps;
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (err) {
      if (errnoCode(err) === "ENOENT") return this.#current;
      throw new HostError("STORAGE", `cannot read ${file}: ${(err as Error).message}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new HostError("CONFIG", `${file} is not valid JSON: ${(err as Error).message}`);
    }
    // Keys missing from the file (an older version wrote it) take their defaults.
    const patch = settingsIssue(SETTINGS_PATCH, raw, "settings");
    if (!patch.ok) throw new HostError("CONFIG", `${file}: ${patch.message}`);
    const merged = settingsIssue(SETTINGS, mergeSettings(this.#current, patch.value), "settings");
    if (!merged.ok) throw new HostError("CONFIG", `${file}: ${merged.message}`);
    this.#current = frozen(merged.value);
    return this.#current;
  }

  /** The current settings (frozen; never changes under its holder). */
  get(): Settings {
    return this.#current;
  }

  /**
   * Applies `patch` (objects merge, the preset list is replaced), persists and returns the result.
   * INVALID_INPUT naming the key (`settings.serial.baudRate: …`) with nothing changed; STORAGE when
   * the file cannot be written (nothing changed either).
   */
  update(patch: SettingsPatch): Promise<Settings> {
    const run = this.#writing.then(() => this.#apply(patch));
    this.#writing = run.catch(() => undefined);
    return run;
  }

  async #apply(input: SettingsPatch): Promise<Settings> {
    const patch = settingsIssue(SETTINGS_PATCH, input, "settings");
    if (!patch.ok) throw new HostError("INVALID_INPUT", patch.message);
    const previous = this.#current;
    const merged = settingsIssue(SETTINGS, mergeSettings(previous, patch.value), "settings");
    if (!merged.ok) throw new HostError("INVALID_INPUT", merged.message);
    const { file, log } = this.#deps;
    const dir = path.dirname(file);
    try {
      await mkdir(dir, { recursive: true });
    } catch (err) {
      throw new HostError("STORAGE", `cannot create ${dir}: ${(err as Error).message}`);
    }
    await writeFileAtomic(dir, file, `${JSON.stringify(merged.value, null, 2)}\n`);
    this.#current = frozen(merged.value);
    log.info({ keys: Object.keys(patch.value) }, "settings changed");
    try {
      this.emit("change", this.#current, previous);
    } catch (err) {
      // The change is on disk: a listener's failure is its own, not the caller's.
      log.error({ err }, "a settings listener failed");
    }
    return this.#current;
  }
}
