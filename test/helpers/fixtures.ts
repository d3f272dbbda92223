import { readdirSync } from "node:fs";
import { join, resolve } from "node:path";

/** `../shared/fixtures/gcode/` beside the project (laid out the same way for sessions and CI). */
export const GCODE_FIXTURES_DIR = resolve(import.meta.dirname, "../../../shared/fixtures/gcode");

export function gcodeFixtures(): string[] {
  return readdirSync(GCODE_FIXTURES_DIR)
    .filter((name) => /\.gcode(\.gz)?$/.test(name))
    .sort()
    .map((name) => join(GCODE_FIXTURES_DIR, name));
}

export const CUBE = join(GCODE_FIXTURES_DIR, "cube20_mk3s_0.20mm_prusaslicer-2.5.0.gcode");
