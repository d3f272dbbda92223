import { describe, expect, it } from "vitest";
import { jpegSize } from "../../../../server/camera/render/jpeg-size.ts";

/** A segment: FF, marker, big-endian length (counting itself), payload. */
function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

/** SOFn payload: precision 8, lines (height), samples per line (width), one component. */
function sof(marker: number, width: number, height: number): number[] {
  return segment(marker, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]);
}

const SOI = [0xff, 0xd8];
const APP0 = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
const DHT = segment(0xc4, [0, ...new Array<number>(16).fill(0)]);

describe("jpegSize", () => {
  it("reads a baseline frame's size after APP0 and a Huffman table (FFC4 is not a SOF)", () => {
    const bytes = Buffer.from([...SOI, ...APP0, ...DHT, ...sof(0xc0, 1920, 1080)]);
    expect(jpegSize(bytes)).toEqual({ width: 1920, height: 1080 });
  });

  it("reads a progressive frame and skips fill bytes", () => {
    const bytes = Buffer.from([...SOI, 0xff, 0xff, ...sof(0xc2, 321, 241)]);
    expect(jpegSize(bytes)).toEqual({ width: 321, height: 241 });
  });

  it("is null for something else, a scan before any SOF, or a truncated header", () => {
    expect(jpegSize(Buffer.from("not a jpeg at all"))).toBeNull();
    expect(jpegSize(Buffer.from([...SOI, ...segment(0xda, [0, 0])]))).toBeNull();
    expect(jpegSize(Buffer.from([...SOI, ...APP0]))).toBeNull();
    expect(jpegSize(Buffer.from([...SOI, ...sof(0xc0, 640, 480).slice(0, 7)]))).toBeNull();
    expect(jpegSize(Buffer.from([...SOI, ...sof(0xc0, 0, 480)]))).toBeNull();
  });
});
