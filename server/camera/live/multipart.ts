/** The boundary between the hub's parts; it cannot occur in a part's headers. */
export const MJPEG_BOUNDARY = "layerwatch-frame";

/** The Content-Type a caller sets on the response before attaching it to a hub. */
export const MJPEG_CONTENT_TYPE = `multipart/x-mixed-replace; boundary=${MJPEG_BOUNDARY}`;

const CRLF = Buffer.from("\r\n");

/**
 * One part as mjpg-streamer and ustreamer write theirs (browsers, OctoPrint's apps and VLC read
 * them): delimiter, headers, blank line, the JPEG, CRLF.
 */
export function partHeader(jpegBytes: number): Buffer {
  return Buffer.from(
    `--${MJPEG_BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: ${jpegBytes}\r\n\r\n`,
    "latin1",
  );
}

/** The parts' bytes, written as one corked batch (one writev on a socket). */
export function partChunks(jpeg: Buffer): Buffer[] {
  return [partHeader(jpeg.length), jpeg, CRLF];
}
