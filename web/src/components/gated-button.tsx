/** An ActionButton that the printer's state enables or blocks (util/gate.ts). */
import { useLive } from "../state/live.ts";
import { type Action, blockedBy } from "../util/gate.ts";
import { ActionButton, type ActionButtonProps } from "./action-button.tsx";

export function GatedButton({ gate, ...props }: Omit<ActionButtonProps, "blocked"> & { gate: Action }) {
  const state = useLive((s) => s.state);
  return <ActionButton {...props} blocked={blockedBy(gate, state)} />;
}
