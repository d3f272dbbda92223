import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { createGunzip } from "node:zlib";
import { describe, expect, it } from "vitest";
import { GcodeAnalyzer } from "../../../../server/jobs/analysis/gcode-analyzer.ts";

const STAR = resolve(
  import.meta.dirname,
  "../../../../../shared/fixtures/gcode/twisted-star_mk3s_0.15mm_prusaslicer-2.5.0.gcode.gz",
);

describe("GcodeAnalyzer memory", () => {
  it("keeps heap growth far below the 10 MB decompressed star fixture while streaming it", async () => {
    const analyzer = new GcodeAnalyzer();
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let chunks = 0;
    for await (const chunk of createReadStream(STAR).pipe(createGunzip())) {
      analyzer.push(chunk as Buffer);
      if (++chunks % 16 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    const analysis = analyzer.finish();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    expect(analysis.bytes).toBe(10_220_679);
    // Lenient: garbage collection timing varies; holding the text would need > 20 MB (UTF-16).
    expect(peak - before).toBeLessThan(40 * 1024 * 1024);
    expect(analysis.layers).toBe(380);
  });
});
