import { FileJobSource } from "../control/file-job-source.ts";
import { applyCommand, initialModalState, type ModalState } from "../control/modal-state.ts";

/**
 * The file's modal state at byte `offset` (the start of a line): every command before it applied
 * in order, read the way a print reads the file. Memory is one chunk and a partial line.
 */
export async function modalStateAt(path: string, offset: number): Promise<ModalState> {
  const state = initialModalState();
  const source = new FileJobSource(path);
  try {
    for (let line = source.next(); line !== null && line.ref < offset; line = source.next()) {
      applyCommand(state, line.command);
    }
  } finally {
    source.close();
  }
  return state;
}
