import { createReadStream } from "node:fs";
import { stripComment } from "../../gcode/line.ts";
import { applyCommand, initialModalState, type ModalState } from "../control/modal-state.ts";

/**
 * The file's modal state at byte `offset` (the start of a line): every command before it applied
 * in order. Streams the file; memory is one chunk and a partial line.
 */
export async function modalStateAt(path: string, offset: number): Promise<ModalState> {
  const state = initialModalState();
  if (offset <= 0) return state;
  let partial = "";
  const stream = createReadStream(path, { start: 0, end: offset - 1, highWaterMark: 64 * 1024 });
  for await (const chunk of stream) {
    const text = partial + (chunk as Buffer).toString("latin1");
    let start = 0;
    for (;;) {
      const newline = text.indexOf("\n", start);
      if (newline === -1) break;
      const command = stripComment(text.slice(start, newline));
      if (command !== "") applyCommand(state, command);
      start = newline + 1;
    }
    partial = text.slice(start);
  }
  const last = stripComment(partial);
  if (last !== "") applyCommand(state, last);
  return state;
}
