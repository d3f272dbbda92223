import { HostError } from "../../util/errors.ts";
import type { JobFiles, StartOptions } from "../control/job-ports.ts";
import { printablePath } from "../control/printable-file.ts";
import { modalStateAt } from "./modal-scan.ts";
import type { RecoveryPoint } from "./recovery-point.ts";
import { type RecoverySettings, recoverySequence } from "./recovery-sequence.ts";

export interface ResumePlan {
  file: string;
  /** 0-based layer the print restarts at. */
  layer: number;
  options: StartOptions;
}

/**
 * How to continue an interrupted print from the first line of `layer` (0-based; at most the layer
 * it stopped in): the file must be the same (content hash), the modal state at that line is rebuilt
 * by reading the file up to it, and the recovery sequence goes first.
 */
export async function planResume(
  point: RecoveryPoint,
  layer: number,
  deps: { files: JobFiles; cacheDir: string; settings: RecoverySettings },
): Promise<ResumePlan> {
  if (!Number.isInteger(layer) || layer < 0 || layer > point.layer) {
    throw new HostError(
      "USAGE",
      `resume from layer ${layer + 1}: choose a layer from 1 to ${point.layer + 1} (where the print stopped)`,
    );
  }
  const { hash, analysis } = await deps.files.describe(point.file);
  if (hash !== point.fileHash) {
    throw new HostError("CONFLICT", `${point.file} has changed since it was printing: it cannot be resumed`, {
      file: point.file,
    });
  }
  const start = analysis.layerIndex[layer];
  if (start === undefined) {
    throw new HostError("NOT_FOUND", `${point.file} has no layer ${layer + 1} (it has ${analysis.layers})`);
  }
  const plain = await printablePath(await deps.files.absolutePath(point.file), hash, deps.cacheDir);
  const modal = await modalStateAt(plain, start.byteOffset);
  return {
    file: point.file,
    layer,
    options: {
      startOffset: start.byteOffset,
      modal,
      preamble: recoverySequence(modal, point.z, deps.settings),
      resumedFrom: point.jobId,
      startLayer: layer,
    },
  };
}
