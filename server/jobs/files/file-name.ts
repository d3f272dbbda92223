import { HostError } from "../../util/errors.ts";

/**
 * Names the file store accepts. Pure: no filesystem access. A name is a relative path inside the files
 * directory with `/` between folders. Backslashes are refused, not treated as separators: Windows
 * clients mean a separator, POSIX allows it in a name, and `a\..\b.gcode` must not mean different
 * things to different readers.
 */

/** Accepted upload types, matched case-insensitively; `.gcode.gz` is gzip (the analyser detects it by magic). */
export const ACCEPTED_EXTENSIONS = [".gcode", ".gco", ".g", ".gcode.gz"] as const;

/** NAME_MAX of ext4, Btrfs and XFS, in bytes of UTF-8. */
export const MAX_SEGMENT_BYTES = 255;
/** Whole relative path, UTF-8 bytes; well below PATH_MAX (4096) once the data directory is prefixed. */
export const MAX_PATH_BYTES = 1024;

/** Characters Windows (and so SMB shares of the data directory) forbids in names. */
const WINDOWS_FORBIDDEN = /[<>:"|?*]/;
/** Bidirectional overrides and isolates: they make `x\u202Eedocg.exe` display as `xexe.gcode`. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;
/** A lone UTF-16 surrogate cannot be encoded as UTF-8: the name on disk would differ from the one asked for. */
const LONE_SURROGATE = /\p{Cs}/u;
/**
 * Windows device names, reserved with any extension and with spaces before it (`CON.gcode`, `nul .g`);
 * Windows 11 also reserves the superscript digits.
 */
const DEVICE_NAME = /^(?:con|prn|aux|nul|com[1-9¹²³]|lpt[1-9¹²³])(?: *\.|$)/i;

const ACCEPTED_LIST = ACCEPTED_EXTENSIONS.join(", ");

/** A path as it may appear in a message: quoted, control characters escaped, cut to a readable length. */
function shown(name: string): string {
  const cut = name.length > 80 ? `${name.slice(0, 77)}...` : name;
  return JSON.stringify(cut);
}

function badName(name: string, reason: string): HostError {
  return new HostError("BAD_NAME", `${shown(name)} is not a valid name: ${reason}`, { name });
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return true;
  }
  return false;
}

function checkSegment(name: string, segment: string): void {
  if (segment === "") throw badName(name, 'empty folder name ("//", or "/" at the end)');
  if (segment === "." || segment === "..") throw badName(name, '"." and ".." are not allowed');
  if (segment.startsWith(".")) throw badName(name, "names starting with a dot are hidden files");
  if (segment.endsWith(".") || segment.endsWith(" ")) {
    throw badName(name, "a name cannot end with a dot or a space");
  }
  if (WINDOWS_FORBIDDEN.test(segment)) throw badName(name, 'the characters < > : " | ? * are not allowed');
  if (DEVICE_NAME.test(segment)) throw badName(name, `"${segment}" is a reserved device name on Windows`);
  if (Buffer.byteLength(segment, "utf8") > MAX_SEGMENT_BYTES) {
    throw badName(name, `a file or folder name is limited to ${MAX_SEGMENT_BYTES} bytes`);
  }
}

/**
 * The NFC form of a relative path to a file or folder, or BAD_NAME. Refused: empty, absolute,
 * backslashes, `.`/`..`/empty segments, hidden names, control characters (NUL included), bidi
 * controls, lone surrogates, Windows device names and forbidden characters, trailing dots or spaces,
 * segments over 255 bytes and paths over 1024 bytes of UTF-8.
 */
export function normalizeRelativePath(input: string): string {
  const name = input.normalize("NFC");
  if (name === "") throw badName(name, "the name is empty");
  if (hasControlCharacter(name)) throw badName(name, "control characters are not allowed");
  if (BIDI_CONTROLS.test(name)) throw badName(name, "bidirectional control characters are not allowed");
  if (LONE_SURROGATE.test(name)) throw badName(name, "the name is not valid Unicode");
  if (name.includes("\\")) throw badName(name, 'backslashes are not allowed; use "/" between folders');
  if (name.startsWith("/")) throw badName(name, "absolute paths are not allowed");
  if (Buffer.byteLength(name, "utf8") > MAX_PATH_BYTES) {
    throw badName(name, `a path is limited to ${MAX_PATH_BYTES} bytes`);
  }
  for (const segment of name.split("/")) checkSegment(name, segment);
  return name;
}

/** Same as `normalizeRelativePath`; the name of a folder has no extension rule. */
export const normalizeFolderPath = normalizeRelativePath;

/**
 * The NFC relative path of a G-code file, or BAD_NAME (see `normalizeRelativePath`), or UNSUPPORTED_FILE
 * when the extension is not one of `ACCEPTED_EXTENSIONS` (binary G-code `.bgcode` included).
 */
export function normalizeFilePath(input: string): string {
  const path = normalizeRelativePath(input);
  const base = (path.split("/").pop() ?? path).toLowerCase();
  if (base.endsWith(".bgcode")) {
    throw new HostError(
      "UNSUPPORTED_FILE",
      `${shown(path)}: binary G-code (.bgcode) is not supported yet; accepted types: ${ACCEPTED_LIST}`,
      { name: path },
    );
  }
  if (!ACCEPTED_EXTENSIONS.some((ext) => base.endsWith(ext))) {
    throw new HostError(
      "UNSUPPORTED_FILE",
      `${shown(path)} is not G-code; accepted types: ${ACCEPTED_LIST}`,
      {
        name: path,
      },
    );
  }
  return path;
}
