import { readFile } from "node:fs/promises";

export interface Size {
  width: number;
  height: number;
}

/**
 * Width and height from a JPEG's start-of-frame segment (ITU-T T.81 B.2.2): after SOI (FFD8), segments are
 * `FF <marker> <length:u16 BE, counting itself> <payload>`; the SOF markers are FFC0–FFCF except FFC4 (DHT),
 * FFC8 (JPG) and FFCC (DAC), and their payload starts `P(1) Y(2) X(2)` (precision, lines, samples per line).
 * Null when the bytes are not a JPEG or end before the SOF (a truncated or foreign file).
 */
export function jpegSize(bytes: Buffer): Size | null {
  if (bytes.length < 4 || bytes.readUInt16BE(0) !== 0xffd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes.readUInt8(at) !== 0xff) return null;
    const marker = bytes.readUInt8(at + 1);
    if (marker === 0xff) {
      at += 1; // fill byte before a marker
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // TEM and RSTn stand alone
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // EOI or start of scan before any SOF
    const length = bytes.readUInt16BE(at + 2);
    if (isStartOfFrame(marker)) {
      if (at + 9 > bytes.length) return null;
      const height = bytes.readUInt16BE(at + 5);
      const width = bytes.readUInt16BE(at + 7);
      return width > 0 && height > 0 ? { width, height } : null;
    }
    at += 2 + length;
  }
  return null;
}

function isStartOfFrame(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** `jpegSize` of a file; null when it is not a JPEG. */
export async function readJpegSize(path: string): Promise<Size | null> {
  return jpegSize(await readFile(path));
}
