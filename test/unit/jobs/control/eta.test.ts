import { describe, expect, it } from "vitest";
import { estimateRemaining } from "../../../../server/jobs/control/eta.ts";

describe("estimateRemaining", () => {
  it("before anything is measured: the model's time left with a wide band", () => {
    const eta = estimateRemaining({
      estimatedTotalSeconds: 3600,
      estimatedDoneSeconds: 0,
      elapsedSeconds: 0,
      slicerRemainingSeconds: null,
    });
    expect(eta).toEqual({ remainingSeconds: 3600, plusMinusSeconds: 540, paceFactor: null });
  });

  it("learns the printer's pace and narrows the band as the print goes on", () => {
    // The printer has run 10 % slower than the model for half the print.
    const eta = estimateRemaining({
      estimatedTotalSeconds: 3600,
      estimatedDoneSeconds: 1800,
      elapsedSeconds: 1980,
      slicerRemainingSeconds: null,
    });
    expect(eta.paceFactor).toBe(1.1);
    expect(eta.remainingSeconds).toBe(1980);
    expect(eta.plusMinusSeconds).toBeLessThan(100);
    expect(eta.plusMinusSeconds).toBeGreaterThanOrEqual(59);
  });

  it("blends the slicer's M73 countdown with the analysis and widens the band by their disagreement", () => {
    const agree = estimateRemaining({
      estimatedTotalSeconds: 3600,
      estimatedDoneSeconds: 1800,
      elapsedSeconds: 1800,
      slicerRemainingSeconds: 1800,
    });
    const disagree = estimateRemaining({
      estimatedTotalSeconds: 3600,
      estimatedDoneSeconds: 1800,
      elapsedSeconds: 1800,
      slicerRemainingSeconds: 2400,
    });
    expect(agree.remainingSeconds).toBe(1800);
    expect(disagree.remainingSeconds).toBe(2100);
    expect(disagree.plusMinusSeconds - agree.plusMinusSeconds).toBeGreaterThanOrEqual(290);
  });

  it("adds heat-up still to come, and never reports less than nothing", () => {
    expect(
      estimateRemaining({
        estimatedTotalSeconds: 600,
        estimatedDoneSeconds: 0,
        elapsedSeconds: 0,
        slicerRemainingSeconds: null,
        heatUpSeconds: 120,
      }).remainingSeconds,
    ).toBe(720);
    const end = estimateRemaining({
      estimatedTotalSeconds: 600,
      estimatedDoneSeconds: 700,
      elapsedSeconds: 700,
      slicerRemainingSeconds: 0,
    });
    expect(end.remainingSeconds).toBe(0);
    expect(end.plusMinusSeconds).toBe(30);
  });
});
