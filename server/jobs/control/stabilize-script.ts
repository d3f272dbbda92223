import type { HeadPosition } from "../../printer/print-control.ts";
import type { StabilizeSettings } from "./job-ports.ts";
import type { ModalState } from "./modal-state.ts";

/** Retract and unretract speed, mm/min (the profiles' pause scripts use the same). */
const RETRACT_FEEDRATE = 2700;
/** Z hop speed, mm/min. */
const Z_FEEDRATE = 600;
/** Feedrate restored when the file never set one, mm/min. */
const DEFAULT_FEEDRATE = 1500;

function mm(value: number): string {
  return String(Number(value.toFixed(3)));
}

/**
 * Away from the part, in absolute positioning and relative extrusion whatever the file uses (G90
 * first: on Marlin it makes E absolute too), and stopped: M400's ok comes once the head is at the
 * park position, so the frame can be taken then.
 */
export function parkForFrame(settings: StabilizeSettings, position: HeadPosition): string[] {
  const lines = ["G90", "M83"];
  if (settings.retractMm > 0) lines.push(`G1 E-${mm(settings.retractMm)} F${RETRACT_FEEDRATE}`);
  if (settings.zHopMm > 0) lines.push(`G1 Z${mm(position.z + settings.zHopMm)} F${Z_FEEDRATE}`);
  lines.push(`G1 X${mm(settings.park.x)} Y${mm(settings.park.y)} F${settings.travelFeedrate}`, "M400");
  return lines;
}

/**
 * Back to where the head was, down, unretracted, then the file's own modes and feedrate: the next
 * line of the file runs exactly as it would have without the frame. E is moved relatively and by the
 * same amount both ways, so the logical E position is unchanged for files in absolute extrusion.
 */
export function returnFromFrame(
  settings: StabilizeSettings,
  position: HeadPosition,
  modal: ModalState,
): string[] {
  const lines = [`G1 X${mm(position.x)} Y${mm(position.y)} F${settings.travelFeedrate}`];
  if (settings.zHopMm > 0) lines.push(`G1 Z${mm(position.z)} F${Z_FEEDRATE}`);
  if (settings.retractMm > 0) lines.push(`G1 E${mm(settings.retractMm)} F${RETRACT_FEEDRATE}`);
  lines.push(
    modal.absolute ? "G90" : "G91",
    modal.relativeE ? "M83" : "M82",
    `G1 F${modal.feedrate ?? DEFAULT_FEEDRATE}`,
  );
  return lines;
}
