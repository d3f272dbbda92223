import { stripEchoPrefix } from "./number.ts";
import type { ResponseOf, SdEvent } from "./types.ts";

/*
 * SD card status and events (M20–M27). Marlin prints some as echo messages, so an `echo:` prefix is
 * skipped. Runs after `error.ts`: `Error:volume.init failed` is an error of class `sd`.
 * Marlin `Marlin/src/sd/cardreader.cpp` `mount()` (`STR_SD_*` in `Marlin/src/core/language.h`):
 *   echo:SD card ok
 *   echo:SD init fail                (Marlin 1.1; Marlin 2.1 prints `echo:No SD card`)
 *   volume.init failed       (Marlin prints this and `openRoot failed` after `Error:`, which
 *   openRoot failed           `error.ts` claims first; the bare forms are accepted here)
 * Further card-state lines, matched the way OctoPrint's `comm.py` matches them (Marlin media
 * detection, Repetier-Firmware `src/ArduinoAVR/Repetier/SDCard.cpp`):
 *   echo:No media
 *   Card successfully initialized.
 *   SD Card unmounted
 *   SD card released
 * Marlin `Marlin/src/sd/cardreader.cpp` `ls()` / `openFileRead()` / `report_status()` / `fileHasFinished()`:
 *   Begin file list
 *   End file list
 *   File opened: cube.gco Size: 672986
 *   File selected
 *   SD printing byte 1234/672986
 *   Not SD printing
 *   Done printing file
 * The entries between `Begin file list` and `End file list` depend on that context; they are read
 * by `parseFileListEntry()` (`file-list-entry.ts`), never here.
 */

const CARD_OK = ["SD card ok", "Card successfully initialized"];
const CARD_FAILED = [
  "SD init fail",
  "No SD card",
  "volume.init failed",
  "No media",
  "openRoot failed",
  "SD Card unmounted",
  "SD card released",
];
const FILE_OPENED = /^File opened:\s*(.*?)\s+Size:\s*(\d+)/;
const PRINTING_BYTE = /(\d+)\/(\d+)/;

function sd(event: SdEvent): ResponseOf<"sd"> {
  return { kind: "sd", event };
}

function startsWithAny(text: string, prefixes: readonly string[]): boolean {
  for (const prefix of prefixes) if (text.startsWith(prefix)) return true;
  return false;
}

/** `File opened: cube.gco Size: 672986`. */
function parseFileOpened(text: string): ResponseOf<"sd"> | null {
  const opened = FILE_OPENED.exec(text);
  return opened ? sd({ type: "file-opened", name: opened[1] as string, size: Number(opened[2]) }) : null;
}

/** SD status lines; `card-failed.message` is the line without `echo:`. */
export function parseSd(line: string): ResponseOf<"sd"> | null {
  const text = stripEchoPrefix(line);
  switch (text.charCodeAt(0)) {
    case 0x42 /* B */:
      return text === "Begin file list" ? sd({ type: "list-begin" }) : null;
    case 0x45 /* E */:
      return text === "End file list" ? sd({ type: "list-end" }) : null;
    case 0x44 /* D */:
      return text.startsWith("Done printing file") ? sd({ type: "done-printing" }) : null;
    case 0x4e /* N */:
      if (text.startsWith("Not SD printing")) return sd({ type: "not-printing" });
      break;
    case 0x46 /* F */:
      return text.startsWith("File selected") ? sd({ type: "file-selected" }) : parseFileOpened(text);
    case 0x53 /* S */:
      if (text.startsWith("SD printing byte")) {
        const progress = PRINTING_BYTE.exec(text);
        if (!progress) return null;
        return sd({ type: "printing-byte", position: Number(progress[1]), total: Number(progress[2]) });
      }
      break;
  }
  if (startsWithAny(text, CARD_OK)) return sd({ type: "card-ok" });
  if (startsWithAny(text, CARD_FAILED)) return sd({ type: "card-failed", message: text });
  return null;
}
