import { describe, expect, it } from "vitest";
import { isJpeg, isWholeJpeg, JpegEndScanner } from "../../../../server/camera/sources/jpeg.ts";
import { stuffedJpeg, TINY_JPEG, thumbnailJpeg } from "./jpeg-fixtures.ts";

describe("isJpeg", () => {
  it("takes SOI followed by a marker", () => {
    expect(isJpeg(TINY_JPEG)).toBe(true);
    expect(isWholeJpeg(TINY_JPEG)).toBe(true);
    expect(isJpeg(Buffer.from("<html>"))).toBe(false);
    expect(isJpeg(Buffer.from([0xff, 0xd8]))).toBe(false);
    expect(isWholeJpeg(TINY_JPEG.subarray(0, 100))).toBe(false);
  });
});

describe("JpegEndScanner", () => {
  const endOf = (data: Buffer) => new JpegEndScanner().scan(data);

  it("finds EOI of a real JPEG, with trailing bytes after it", () => {
    expect(endOf(TINY_JPEG)).toBe(TINY_JPEG.length);
    expect(endOf(Buffer.concat([TINY_JPEG, Buffer.from("\r\n--ffmpeg\r\n")]))).toBe(TINY_JPEG.length);
  });

  it("skips stuffed FFs and restart markers in entropy-coded data", () => {
    const jpeg = stuffedJpeg();
    expect(endOf(jpeg)).toBe(jpeg.length);
  });

  it("does not stop at the EOI of a thumbnail inside APP1", () => {
    const jpeg = thumbnailJpeg();
    expect(jpeg.indexOf(Buffer.from([0xff, 0xd9]))).toBeLessThan(jpeg.length - 2);
    expect(endOf(jpeg)).toBe(jpeg.length);
  });

  it("resumes where it stopped when the buffer grows a byte at a time", () => {
    for (const jpeg of [TINY_JPEG, stuffedJpeg(), thumbnailJpeg()]) {
      const scanner = new JpegEndScanner();
      for (let n = 0; n < jpeg.length; n++) expect(scanner.scan(jpeg.subarray(0, n))).toBe("more");
      expect(scanner.scan(jpeg)).toBe(jpeg.length);
    }
  });

  it("rejects data that does not start with SOI or breaks the marker structure", () => {
    expect(endOf(Buffer.from("GIF89a"))).toBe("invalid");
    // A segment followed by something that is not a marker.
    expect(endOf(Buffer.from("ffd8fffe0004abcd0012", "hex"))).toBe("invalid");
    // A second SOI where the next marker should be (the next part of a stream, after a cut picture).
    expect(endOf(Buffer.from("ffd8ffd8", "hex"))).toBe("invalid");
  });
});
