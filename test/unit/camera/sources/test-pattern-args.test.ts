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

  it("draws the print's progress as a bar along the bottom of a snapshot", () => {
    const config = { kind: "test-pattern", width: 320, height: 240, fps: 5 } as const;
    const bar = "drawbox=x=0:y=ih-ih/12:w=iw*0.425:h=ih/12:color=0x2e9e44@0.9:t=fill";
    expect(testPatternSnapshotArgs(config, 0.425)).toContain(`testsrc2=size=320x240:rate=5,${bar}`);
    expect(testPatternSnapshotArgs(config, 1.7)).toContain(
      `testsrc2=size=320x240:rate=5,${bar.replace("0.425", "1.000")}`,
    );
  });
});
