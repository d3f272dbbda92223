/** How many stderr lines an error quotes. */
const TAIL_LINES = 5;

/**
 * The last `n` informative lines of ffmpeg's stderr: status lines (`frame= ...`) and the indented stream
 * and configuration dumps are skipped, error lines (`[mjpeg @ 0x...] No JPEG data found`) kept.
 */
export function stderrTail(stderr: string, n = TAIL_LINES): string[] {
  return stderr
    .split(/\r\n|\r|\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line !== "" && !line.startsWith(" ") && !line.startsWith("frame="))
    .slice(-n);
}
