import { describe, expect, it } from "vitest";
import { boundaryOf, MjpegParser } from "../../../../server/camera/sources/mjpeg-parser.ts";
import { withComment } from "../../../helpers/fake-mjpeg-camera.ts";
import { stuffedJpeg, TINY_JPEG, thumbnailJpeg } from "./jpeg-fixtures.ts";

const FRAMES = [withComment(TINY_JPEG, "frame 0"), stuffedJpeg(), thumbnailJpeg()];

/** As mjpg-streamer's and ustreamer's httpd write it: the delimiter after each picture. */
function mjpgStreamer(frames: Buffer[], boundary = "boundarydonotcross"): Buffer {
  const parts: Buffer[] = [Buffer.from(`--${boundary}\r\n`)];
  for (const [i, jpeg] of frames.entries()) {
    const stamp = `17000000${String(i).padStart(2, "0")}.123456`;
    parts.push(
      Buffer.from(
        `Content-Type: image/jpeg\r\nContent-Length: ${jpeg.length}\r\nX-Timestamp: ${stamp}\r\n\r\n`,
      ),
      jpeg,
      Buffer.from(`\r\n--${boundary}\r\n`),
    );
  }
  return Buffer.concat(parts);
}

/** As ffmpeg's mpjpeg muxer writes it (libavformat/mpjpeg.c): the delimiter before each picture. */
function ffmpegMpjpeg(frames: Buffer[]): Buffer {
  return Buffer.concat(
    frames.flatMap((jpeg) => [
      Buffer.from(`--ffmpeg\r\nContent-type: image/jpeg\r\nContent-length: ${jpeg.length}\r\n\r\n`),
      jpeg,
      Buffer.from("\r\n"),
    ]),
  );
}

/** Parts with no Content-Length: the parser has to find each picture's EOI. */
function withoutLength(frames: Buffer[], boundary = "myboundary", eol = "\r\n"): Buffer {
  return Buffer.concat(
    frames.flatMap((jpeg) => [
      Buffer.from(`--${boundary}${eol}Content-Type: image/jpeg${eol}${eol}`),
      jpeg,
      Buffer.from(eol),
    ]),
  );
}

function parseSplit(stream: Buffer, at: number, parser = new MjpegParser()): Buffer[] {
  return [...parser.push(stream.subarray(0, at)), ...parser.push(stream.subarray(at))];
}

/** The split positions at which `parse` did not give exactly `frames` (compared byte for byte). */
function failingSplits(stream: Buffer, frames: Buffer[], parse: (at: number) => Buffer[]): number[] {
  const failing: number[] = [];
  for (let at = 0; at <= stream.length; at++) {
    const out = parse(at);
    if (out.length !== frames.length || out.some((jpeg, i) => !jpeg.equals(frames[i] as Buffer)))
      failing.push(at);
  }
  return failing;
}

function parseInChunks(stream: Buffer, size: number, parser: MjpegParser): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < stream.length; i += size) out.push(...parser.push(stream.subarray(i, i + size)));
  return out;
}

describe("MjpegParser", () => {
  it("reads mjpg-streamer parts byte for byte, split at every position", () => {
    const stream = mjpgStreamer(FRAMES);
    let worst = 0;
    const failing = failingSplits(stream, FRAMES, (at) => {
      const parser = new MjpegParser({ boundary: "boundarydonotcross" });
      const out = parseSplit(stream, at, parser);
      worst = Math.max(worst, parser.dropped * 1000 + parser.buffered);
      return out;
    });
    expect(failing).toEqual([]);
    // No part dropped; what is left is the last delimiter line.
    expect(worst).toBeLessThan(30);
  });

  it("reads ffmpeg mpjpeg parts, learning the boundary from the first delimiter, split at every position", () => {
    const stream = ffmpegMpjpeg(FRAMES);
    expect(failingSplits(stream, FRAMES, (at) => parseSplit(stream, at))).toEqual([]);
  });

  it("finds each picture's end by its markers when parts have no Content-Length, split at every position", () => {
    const stream = withoutLength(FRAMES);
    let dropped = 0;
    const failing = failingSplits(stream, FRAMES, (at) => {
      const parser = new MjpegParser({ boundary: "myboundary" });
      const out = parseSplit(stream, at, parser);
      dropped += parser.dropped;
      return out;
    });
    expect(failing).toEqual([]);
    expect(dropped).toBe(0);
  });

  it("takes one byte at a time", () => {
    for (const stream of [mjpgStreamer(FRAMES), ffmpegMpjpeg(FRAMES), withoutLength(FRAMES)])
      expect(parseInChunks(stream, 1, new MjpegParser())).toEqual(FRAMES);
  });

  it("accepts LF-only header lines and a boundary declared with its dashes", () => {
    const stream = withoutLength(FRAMES, "--myboundary", "\n");
    expect(new MjpegParser({ boundary: "--myboundary" }).push(stream)).toEqual(FRAMES);
    expect(new MjpegParser({ boundary: '"myboundary"' }).push(withoutLength(FRAMES))).toEqual(FRAMES);
  });

  it("skips a part over maxFrameBytes without buffering it", () => {
    const big = withComment(TINY_JPEG, "big", 5000);
    const [first, , third] = FRAMES as [Buffer, Buffer, Buffer];
    for (const stream of [mjpgStreamer([first, big, third]), withoutLength([first, big, third])]) {
      const parser = new MjpegParser({ maxFrameBytes: 1000 });
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; i += 256) {
        out.push(...parser.push(stream.subarray(i, i + 256)));
        expect(parser.buffered).toBeLessThanOrEqual(1000 + 256);
      }
      expect(out).toEqual([first, third]);
      expect(parser.dropped).toBe(1);
    }
  });

  it("discards garbage without a boundary as it arrives, then reads the parts that follow", () => {
    const parser = new MjpegParser({ boundary: "boundarydonotcross" });
    const garbage = Buffer.alloc(1024 * 1024, "garbage-");
    for (let i = 0; i < garbage.length; i += 64 * 1024) {
      expect(parser.push(garbage.subarray(i, i + 64 * 1024))).toEqual([]);
      expect(parser.buffered).toBeLessThan(32);
    }
    expect(parser.push(mjpgStreamer(FRAMES))).toEqual(FRAMES);
  });

  it("gives up on a delimiter whose headers never end", () => {
    const parser = new MjpegParser({ boundary: "b", maxHeaderBytes: 100 });
    const stream = Buffer.concat([
      Buffer.from(`--b\r\nX-Junk: ${"x".repeat(300)}`),
      mjpgStreamer(FRAMES, "b"),
    ]);
    expect(parseInChunks(stream, 50, parser)).toEqual(FRAMES);
    expect(parser.dropped).toBe(1);
  });

  it("drops parts that are not JPEGs", () => {
    const [first, second] = FRAMES as [Buffer, Buffer];
    const text = "no picture";
    const stream = Buffer.concat([
      Buffer.from(`--b\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}\r\n`),
      Buffer.from(`--b\r\nContent-Type: image/jpeg\r\nContent-Length: ${text.length}\r\n\r\n${text}\r\n`),
      Buffer.from(`--b\r\nContent-Type: image/jpeg\r\nContent-Length: ${first.length}\r\n\r\n`),
      first,
      Buffer.from(`\r\n--b\r\nContent-Type: text/plain\r\n\r\n${text}\r\n`),
      Buffer.from(`--b\r\nContent-Type: image/jpeg\r\nContent-Length: ${second.length}\r\n\r\n`),
      second,
      Buffer.from("\r\n"),
    ]);
    const parser = new MjpegParser({ boundary: "b" });
    expect(parser.push(stream)).toEqual([first, second]);
    expect(parser.dropped).toBe(3);
  });

  it("recovers after a picture cut short, when parts have no Content-Length", () => {
    const [first, second] = FRAMES as [Buffer, Buffer];
    const cut = TINY_JPEG.subarray(0, 250);
    const stream = withoutLength([cut, first, second]);
    const drops = new Set<number>();
    const failing = failingSplits(stream, [first, second], (at) => {
      const parser = new MjpegParser({ boundary: "myboundary" });
      const out = parseSplit(stream, at, parser);
      drops.add(parser.dropped);
      return out;
    });
    expect(failing).toEqual([]);
    expect([...drops]).toEqual([1]);
  });
});

describe("boundaryOf", () => {
  it("reads the boundary parameter of a Content-Type", () => {
    expect(boundaryOf("multipart/x-mixed-replace;boundary=boundarydonotcross")).toBe("boundarydonotcross");
    expect(boundaryOf('multipart/x-mixed-replace; boundary="--frame"; charset=x')).toBe("--frame");
    expect(boundaryOf("image/jpeg")).toBeNull();
  });
});
