/** The largest picture a camera may send: far above any webcam's (a 4K frame at quality 100 is ~3 MB). */
export const MAX_JPEG_BYTES = 16 * 1024 * 1024;

/**
 * True when `data` starts like a JPEG: SOI (FF D8) followed by the FF of the next marker
 * (ITU-T T.81 B.1.1.2: every JPEG opens with SOI, and a marker follows it).
 */
export function isJpeg(data: Uint8Array): boolean {
  return data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff;
}

/** True when `data` is a JPEG that ends with EOI (FF D9). */
export function isWholeJpeg(data: Uint8Array): boolean {
  return isJpeg(data) && data[data.length - 2] === 0xff && data[data.length - 1] === 0xd9;
}

export type ScanResult = number | "more" | "invalid";

/**
 * Finds where a JPEG ends by walking its markers (ITU-T T.81 B.1): marker segments (APPn, DQT, DHT,
 * SOFn, SOS, COM …) carry a 2-byte big-endian length that includes itself and are skipped whole, so
 * an EXIF thumbnail's own SOI/EOI inside APP1 is not taken for the end; after SOS comes
 * entropy-coded data, in which FF is followed by 00 (a stuffed FF) or D0–D7 (RSTn) and anything else
 * is the next marker; EOI (FF D9) ends the picture.
 *
 * Resumable: `scan` is given the same buffer again, grown at its end, and carries on where it stopped.
 * The buffer must start with SOI.
 */
export class JpegEndScanner {
  #pos = 0;
  #inEntropy = false;

  /** The index just past EOI, "more" when the buffer ends first, "invalid" when it is not a JPEG. */
  scan(buf: Uint8Array): ScanResult {
    if (this.#pos === 0) {
      if (buf.length < 2) return "more";
      if (buf[0] !== 0xff || buf[1] !== 0xd8) return "invalid";
      this.#pos = 2;
    }
    for (;;) {
      if (this.#inEntropy) {
        if (this.#pos >= buf.length) return "more";
        const ff = buf.indexOf(0xff, this.#pos);
        if (ff === -1) {
          this.#pos = buf.length;
          return "more";
        }
        this.#pos = ff;
        if (ff + 1 >= buf.length) return "more";
        const next = buf[ff + 1] as number;
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) {
          this.#pos = ff + 2;
          continue;
        }
        if (next === 0xff) {
          this.#pos = ff + 1;
          continue;
        }
        this.#inEntropy = false;
      }
      if (this.#pos + 2 > buf.length) return "more";
      if (buf[this.#pos] !== 0xff) return "invalid";
      const code = buf[this.#pos + 1] as number;
      if (code === 0xff) {
        this.#pos += 1; // fill byte before a marker
        continue;
      }
      if (code === 0xd9) return this.#pos + 2;
      if (code === 0x00 || code === 0xd8) return "invalid";
      if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) {
        this.#pos += 2; // TEM and RSTn stand alone
        continue;
      }
      if (this.#pos + 4 > buf.length) return "more";
      const length = ((buf[this.#pos + 2] as number) << 8) | (buf[this.#pos + 3] as number);
      if (length < 2) return "invalid";
      this.#pos += 2 + length;
      if (code === 0xda) this.#inEntropy = true;
    }
  }
}
