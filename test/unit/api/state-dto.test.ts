import { describe, expect, it } from "vitest";
import { interruptedDto, progressDto, thinSamples } from "../../../server/api/v1/state-dto.ts";
import type { JobProgress } from "../../../server/jobs/control/running-job.ts";
import type { RecoveryPoint } from "../../../server/jobs/recovery/recovery-point.ts";

function samples(heater: string, n: number): { heater: string; at: number }[] {
  return Array.from({ length: n }, (_, i) => ({ heater, at: i }));
}

describe("thinSamples", () => {
  it("keeps short series whole", () => {
    const all = [...samples("T0", 5), ...samples("B", 5)];
    expect(thinSamples(all, 5)).toEqual(all);
  });

  it("thins each heater to at most max, evenly, first and last kept, order unchanged", () => {
    const all = samples("T0", 1001)
      .flatMap((s, i) => [s, { heater: "B", at: i }])
      .concat(samples("C", 3));
    const thinned = thinSamples(all, 11);
    const t0 = thinned.filter((s) => s.heater === "T0").map((s) => s.at);
    expect(t0).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(thinned.filter((s) => s.heater === "B")).toHaveLength(11);
    expect(thinned.filter((s) => s.heater === "C")).toHaveLength(3);
    const order = thinned.map((s) => all.indexOf(s));
    expect(order).toEqual([...order].sort((a, b) => a - b));
  });
});

describe("state documents", () => {
  it("counts the interrupted print's layer from 1", () => {
    const point = {
      file: "a.gcode",
      jobId: 3,
      state: "interrupted",
      reason: "link lost",
      layer: 0,
      layerCount: 10,
      z: 0.2,
      startedAt: 1,
      updatedAt: 2,
    };
    expect(interruptedDto(point as RecoveryPoint)).toEqual({ ...point, layer: 1 });
    expect(interruptedDto(null)).toBeNull();
  });

  it("gives progress in percent and the ETA as a time", () => {
    const progress = {
      file: "a.gcode",
      jobId: 1,
      bytes: 333,
      totalBytes: 1000,
      fraction: 0.333,
      lines: 10,
      layer: 2,
      layers: 10,
      z: 0.4,
      elapsedSeconds: 60,
      printingSeconds: 50,
      eta: { remainingSeconds: 120, plusMinusSeconds: 30, paceFactor: null },
    } satisfies JobProgress;
    expect(progressDto(progress, 1_000_000)).toMatchObject({
      percent: 33.3,
      eta: { remainingSeconds: 120, finishesAt: 1_120_000 },
    });
  });
});
