import { describe, expect, it } from "vitest";
import { DEFAULT_TEST_PATTERN } from "../../../../server/camera/sources/camera-source.ts";
import {
  testPatternSnapshotArgs,
  testPatternStreamArgs,
} from "../../../../server/camera/sources/test-pattern-source.ts";

describe("test pattern ffmpeg arguments", () => {
  it("streams testsrc2 paced at its rate as mpjpeg on stdout", () => {
    expect(testPatternStreamArgs(DEFAULT_TEST_PATTERN)).toEqual([
      ...["-hide_banner", "-nostdin", "-loglevel", "error", "-re"],
      ...["-f", "lavfi", "-i", "testsrc2=size=640x480:rate=10"],
      ...["-c:v", "mjpeg", "-q:v", "7", "-f", "mpjpeg", "-flush_packets", "1", "-"],
    ]);
  });

  it("takes a snapshot as one frame on stdout", () => {
    expect(testPatternSnapshotArgs({ kind: "test-pattern", width: 320, height: 240, fps: 5 })).toEqual([
      ...["-hide_banner", "-nostdin", "-loglevel", "error"],
      ...["-f", "lavfi", "-i", "testsrc2=size=320x240:rate=5"],
      ...["-frames:v", "1", "-c:v", "mjpeg", "-q:v", "7", "-f", "image2pipe", "-"],
    ]);
  });
});
