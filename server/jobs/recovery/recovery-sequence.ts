import type { ModalState } from "../control/modal-state.ts";

export interface RecoverySettings {
  /** Lift before X/Y move after the restart (the nozzle rests on the part), mm. */
  liftMm: number;
  /** Filament pushed at the home corner before returning to the part, mm. */
  primeMm: number;
  /** Travel feedrates, mm/min. */
  travelXy: number;
  travelZ: number;
}

export const DEFAULT_RECOVERY_SETTINGS: RecoverySettings = {
  liftMm: 2,
  primeMm: 5,
  travelXy: 6000,
  travelZ: 600,
};

/**
 * The G-code that brings a printer that lost its print back to the first line of a layer:
 *
 * - heat the bed and every used nozzle to the targets the file had set, and wait;
 * - declare the nozzle's height to be `headZ` (G92): it rests where the print stopped, and
 *   homing Z would drive it into the part;
 * - lift, home X and Y only, select the tool, prime at the home corner (off the part);
 * - travel over the layer's start, descend to its height;
 * - restore fan, positioning and extrusion modes, the E coordinate and the feedrate that the file
 *   had set at that line, so the file's next line means what it meant.
 *
 * `modal` is the file's state at the layer's first line; `headZ` is where the nozzle stopped.
 */
export function recoverySequence(
  modal: ModalState,
  headZ: number,
  settings: RecoverySettings = DEFAULT_RECOVERY_SETTINGS,
): string[] {
  const lines: string[] = [];
  const hotends = Object.entries(modal.hotendTargets).filter(([, t]) => t > 0);
  if (modal.bedTarget > 0) lines.push(`M140 S${num(modal.bedTarget)}`);
  for (const [tool, target] of hotends) lines.push(`M104 T${tool} S${num(target)}`);
  if (modal.bedTarget > 0) lines.push(`M190 S${num(modal.bedTarget)}`);
  for (const [tool, target] of hotends) lines.push(`M109 T${tool} S${num(target)}`);
  lines.push(
    `G92 Z${num(headZ)}`,
    "G91",
    `G1 Z${num(settings.liftMm)} F${num(settings.travelZ)}`,
    "G90",
    "G28 X Y",
    `T${modal.tool}`,
    "M83",
    `G1 E${num(settings.primeMm)} F200`,
    `G1 X${num(modal.x)} Y${num(modal.y)} F${num(settings.travelXy)}`,
    `G1 Z${num(modal.z)} F${num(settings.travelZ)}`,
  );
  for (const [fan, speed] of Object.entries(modal.fans)) {
    lines.push(speed > 0 ? `M106 P${fan} S${speed}` : `M107 P${fan}`);
  }
  lines.push(modal.absolute ? "G90" : "G91", modal.relativeE ? "M83" : "M82", `G92 E${num(modal.e)}`);
  if (modal.feedrate !== null) lines.push(`G1 F${num(modal.feedrate)}`);
  return lines;
}

/** Up to 5 decimals, no trailing zeros, no exponent: `0.2`, `215`, `-1.5`. */
function num(value: number): string {
  return String(Number(value.toFixed(5)));
}
