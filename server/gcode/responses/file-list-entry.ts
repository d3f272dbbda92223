import { parseResponse } from "./parse-response.ts";
import type { ResponseOf, SdEvent } from "./types.ts";

/*
 * M20 listing entries, between `Begin file list` and `End file list`. Only the caller knows it is
 * inside a listing, so `parseResponse` never reports these; call this for lines it calls `other`.
 * Marlin `Marlin/src/sd/cardreader.cpp` `printListing()` (8.3 path, size; with `M20 T` a hex FAT
 * timestamp; with `M20 L` the long name, quoted or bare):
 *   CUBE~1.GCO 672986
 *   /FOLDER/PART.GCO 123 0x5a2b3c4d "Long Name.gcode"
 *   CUBE~1.GCO 672986 cube.gcode
 * The timestamp is read past but not reported (`SdEvent` `list-entry` has no field for it).
 */

const ENTRY = /^(\S+)(?:\s+(\d+))?(?:\s+0x[0-9A-Fa-f]+)?(?:\s+(.+))?$/;

/** Long names come quoted (`"Long Name.gcode"`) or bare; quotes are removed. */
function unquote(text: string): string {
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1) : text;
}

/** A file-list entry, or null for a line `parseResponse` recognises (`End file list`, `ok`, …). */
export function parseFileListEntry(line: string): ResponseOf<"sd"> | null {
  const text = line.trim();
  if (text === "" || parseResponse(text).kind !== "other") return null;
  const match = ENTRY.exec(text);
  if (!match) return null;
  const name = match[1] as string;
  const size = match[2];
  const longName = match[3];
  const event: Extract<SdEvent, { type: "list-entry" }> = { type: "list-entry", name };
  if (size !== undefined) event.size = Number(size);
  if (longName !== undefined) event.longName = unquote(longName.trim());
  return { kind: "sd", event };
}
