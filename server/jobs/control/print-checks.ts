import { numberedLengthBound } from "../../gcode/line.ts";
import { HostError } from "../../util/errors.ts";
import type { JobAnalysis as Analysis } from "./job-ports.ts";

/**
 * Refuses a file whose longest command cannot fit the firmware's line buffer once numbered
 * (`N<n> … *<cs>`): the firmware would silently truncate it mid-print, so it is an error before
 * the print starts.
 */
export function checkLineLength(file: string, analysis: Analysis, maxLineLength: number): void {
  const { length, lineNumber } = analysis.longestLine;
  const bound = numberedLengthBound(length, Math.max(analysis.lines, 1) + 1000);
  if (bound > maxLineLength - 1) {
    throw new HostError(
      "LINE_TOO_LONG",
      `${file} line ${lineNumber} is ${length} characters: numbered it needs ${bound + 1} bytes, and the firmware's line buffer holds ${maxLineLength}`,
      { file, lineNumber, length, maxLineLength },
    );
  }
}
