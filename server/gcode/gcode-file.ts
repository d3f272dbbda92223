import { readFile } from "node:fs/promises";
import { gunzipSync } from "node:zlib";
import { hasGzipMagic } from "../util/fs-util.ts";
import { fitsLineBuffer, isAscii, stripComment } from "./line.ts";
import type { JobLine, JobSource } from "./send-window.ts";

/** A G-code file's commands (comments and blank lines dropped), each with its 1-based line in the file. */
export interface GcodeCommands {
  commands: string[];
  refs: Uint32Array;
}

/** Reads `.gcode`/`.gco`/`.g`, and the same gzip-compressed (`.gz`, detected by its magic bytes). */
export async function readGcodeCommands(path: string): Promise<GcodeCommands> {
  let bytes = await readFile(path);
  if (hasGzipMagic(bytes)) bytes = gunzipSync(bytes);
  const text = bytes.toString("latin1");
  const commands: string[] = [];
  const refs: number[] = [];
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    lineNo++;
    const command = stripComment(text.slice(start, end));
    if (command !== "") {
      commands.push(command);
      refs.push(lineNo);
    }
    start = end + 1;
  }
  return { commands, refs: Uint32Array.from(refs) };
}

export interface LineProblem {
  ref: number;
  command: string;
  reason: string;
}

/**
 * Lines the firmware would mangle: longer than its line buffer once numbered (it truncates them
 * silently), or not ASCII. Checked before a print starts, never discovered halfway.
 */
export function findUnsendableLines(file: GcodeCommands, maxLineLength: number): LineProblem[] {
  const problems: LineProblem[] = [];
  const maxLineNumber = file.commands.length + 100_000;
  file.commands.forEach((command, i) => {
    const ref = file.refs[i] ?? 0;
    if (!isAscii(command)) problems.push({ ref, command, reason: "contains non-ASCII characters" });
    else if (!fitsLineBuffer(command, maxLineNumber, maxLineLength)) {
      problems.push({
        ref,
        command,
        reason: `longer than the firmware's ${maxLineLength - 1}-character line buffer`,
      });
    }
  });
  return problems;
}

/** A job source over commands already in memory. */
export function commandSource(file: GcodeCommands, limit = file.commands.length): JobSource {
  let index = 0;
  const end = Math.min(limit, file.commands.length);
  return {
    next(): JobLine | null {
      if (index >= end) return null;
      const line = { command: file.commands[index] as string, ref: file.refs[index] ?? 0 };
      index++;
      return line;
    },
  };
}
