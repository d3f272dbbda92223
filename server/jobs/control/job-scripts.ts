import { fillScript } from "../../printer/firmware-profile.ts";
import type { FirmwareProfile } from "../../printer/firmware-profile-types.ts";
import type { HeadPosition } from "../../printer/print-control.ts";
import type { ModalState } from "./modal-state.ts";

/** Feedrate restored when the file never set one, mm/min. */
const DEFAULT_FEEDRATE = 1500;

function values(
  park: { x: number; y: number },
  position: HeadPosition,
  modal: ModalState,
): Record<string, number> {
  return {
    "park.x": park.x,
    "park.y": park.y,
    "position.x": position.x,
    "position.y": position.y,
    "position.z": position.z,
    "position.e": position.e,
    feedrate: modal.feedrate ?? DEFAULT_FEEDRATE,
  };
}

/** The profile's park script (retract, lift, move to the park position), filled in. */
export function pauseScript(
  profile: FirmwareProfile,
  park: { x: number; y: number },
  position: HeadPosition,
  modal: ModalState,
): string[] {
  return fillScript(profile.scripts.pause, values(park, position, modal));
}

/**
 * Back to where the pause found the head, then the file's own modes. The profile's resume script
 * returns and unretracts; what it cannot know (the file's positioning and extrusion modes, fans,
 * the heater targets a long pause turned off) the host adds: reheat first, modes last.
 */
export function resumeScript(
  profile: FirmwareProfile,
  park: { x: number; y: number },
  position: HeadPosition,
  modal: ModalState,
  cooled: Readonly<Record<number, number>>,
): string[] {
  const reheat = Object.entries(cooled).map(([tool, target]) => `M109 T${tool} S${target}`);
  const back = fillScript(profile.scripts.resume, values(park, position, modal));
  const fans = Object.entries(modal.fans).map(([fan, speed]) =>
    speed > 0 ? `M106 P${fan} S${speed}` : `M107 P${fan}`,
  );
  const tool = reheat.length > 0 ? [`T${modal.tool}`] : [];
  return [
    ...reheat,
    ...tool,
    ...back,
    ...fans,
    modal.absolute ? "G90" : "G91",
    modal.relativeE ? "M83" : "M82",
    `G92 E${Number(position.e.toFixed(5))}`,
  ];
}

/** The profile's cancel script (heaters and fan off, retract, lift, present the bed, motors off). */
export function cancelScript(profile: FirmwareProfile, park: { x: number; y: number }): string[] {
  return fillScript(profile.scripts.cancel, { "park.x": park.x, "park.y": park.y });
}

/** `M104 T<n> S0` for every nozzle the file heated: a long pause lets them cool. */
export function coolNozzles(modal: ModalState): { commands: string[]; targets: Record<number, number> } {
  const targets: Record<number, number> = {};
  const commands: string[] = [];
  for (const [tool, target] of Object.entries(modal.hotendTargets)) {
    if (target <= 0) continue;
    targets[Number(tool)] = target;
    commands.push(`M104 T${tool} S0`);
  }
  return { commands, targets };
}
