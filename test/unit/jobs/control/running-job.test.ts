import { describe, expect, it } from "vitest";
import type { JobAnalysis } from "../../../../server/jobs/control/job-ports.ts";
import { initialModalState } from "../../../../server/jobs/control/modal-state.ts";
import { estimatedSecondsAt, layerAt, RunningJob } from "../../../../server/jobs/control/running-job.ts";

/** Three layers at bytes 100, 1000 and 2000 of a 3000-byte file, modelled at 0 s, 600 s and 1200 s of 1800 s. */
const analysis = {
  estimatedSeconds: 1800,
  layers: 3,
  layerIndex: [
    { index: 0, z: 0.2, height: 0.2, byteOffset: 100, startSeconds: 0 },
    { index: 1, z: 0.4, height: 0.2, byteOffset: 1000, startSeconds: 600 },
    { index: 2, z: 0.6, height: 0.2, byteOffset: 2000, startSeconds: 1200 },
  ],
} as unknown as JobAnalysis;

function job(startOffset = 0): RunningJob {
  return new RunningJob({
    file: "a.gcode",
    fileHash: "h",
    jobId: 3,
    analysis,
    totalBytes: 3000,
    modal: initialModalState(),
    startOffset,
    startedAt: 0,
  });
}

describe("RunningJob", () => {
  it("finds the layer of a byte offset and the modelled time there", () => {
    expect([0, 100, 999, 1000, 2999].map((o) => layerAt(analysis, o))).toEqual([-1, 0, 0, 1, 2]);
    expect(estimatedSecondsAt(analysis, 1500, 3000)).toBe(900);
    expect(estimatedSecondsAt(analysis, 2500, 3000)).toBe(1500);
  });

  it("reports layer changes, progress, and the modal state of what was acknowledged", () => {
    const run = job();
    expect(run.acknowledged(50, "M83", 1000)).toBe(false);
    expect(run.acknowledged(100, "G1 Z0.2 F600", 2000)).toBe(true);
    expect(run.acknowledged(500, "G1 X5 E1", 3000)).toBe(false);
    expect(run.acknowledged(1000, "G1 Z0.4", 4000)).toBe(true);
    const progress = run.progress(10_000);
    expect(progress).toMatchObject({
      layer: 2,
      layers: 3,
      lines: 4,
      bytes: 1000,
      z: 0.4,
      elapsedSeconds: 10,
    });
    expect(progress.fraction).toBeCloseTo(1 / 3);
    expect(run.modal).toMatchObject({ relativeE: true, e: 1, x: 5, z: 0.4 });
    expect(run.filamentMm).toEqual([1]);
  });

  it("leaves pauses and heat-up waits out of the printing time, and reads M73 R", () => {
    const run = job();
    run.acknowledged(10, "M190 S60", 120_000); // two minutes heating
    run.acknowledged(20, "M73 P0 R30", 121_000);
    run.pausedAt(200_000);
    run.resumedAt(260_000); // a minute paused
    const progress = run.progress(300_000);
    expect(progress.elapsedSeconds).toBe(300);
    expect(progress.printingSeconds).toBe(120);
    // Nothing modelled is done yet: the band is the model's; M73 says 30 min, the model 30 min.
    expect(progress.eta.remainingSeconds).toBe(1800);
  });

  it("a resumed print counts what came before its start as printed at the model's pace", () => {
    const run = job(1000);
    expect(run.layer).toBe(1);
    run.acknowledged(1500, "G1 X1", 300_000);
    const { eta } = run.progress(300_000);
    // 300 s of real printing covered 300 s of model (900 − 600): pace 1, 900 s left.
    expect(eta.paceFactor).toBe(1);
    expect(eta.remainingSeconds).toBe(900);
  });
});
