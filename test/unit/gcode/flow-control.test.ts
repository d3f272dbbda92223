import { describe, expect, it } from "vitest";
import { PING_PONG, resolveFlowControl, windowAllows } from "../../../server/gcode/flow-control.ts";

const marlin = { advancedOk: false, receiveBufferBytes: 128, commandBufferSlots: 4, largestBufferFree: null };
const unknown = {
  advancedOk: false,
  receiveBufferBytes: null,
  commandBufferSlots: 4,
  largestBufferFree: null,
};

describe("resolveFlowControl", () => {
  it("auto: ping-pong for a firmware that proved nothing", () => {
    expect(resolveFlowControl("auto", unknown)).toEqual(PING_PONG);
  });

  it("auto: a byte-counted window when the profile declares the receive buffer", () => {
    expect(resolveFlowControl("auto", marlin)).toEqual({ mode: "window", maxLines: 4, maxBytes: 127 });
  });

  it("auto: ADVANCED_OK's largest B sets the number of lines", () => {
    expect(resolveFlowControl("auto", { ...unknown, advancedOk: true, largestBufferFree: 3 })).toEqual({
      mode: "window",
      maxLines: 3,
      maxBytes: 127,
    });
  });

  it("honours an explicit choice", () => {
    expect(resolveFlowControl(1, marlin)).toEqual(PING_PONG);
    expect(resolveFlowControl("ping-pong", marlin)).toEqual(PING_PONG);
    expect(resolveFlowControl(8, marlin)).toEqual({ mode: "window", maxLines: 8, maxBytes: 127 });
  });
});

describe("windowAllows", () => {
  it("always lets one line into an empty pipe", () => {
    expect(windowAllows(PING_PONG, 0, 0, 0, 500)).toBe(true);
    expect(windowAllows(PING_PONG, 1, 30, 30, 30)).toBe(false);
  });

  it("counts lines, and the bytes that can wait in the receive buffer: all but the running head", () => {
    const flow = { mode: "window" as const, maxLines: 4, maxBytes: 127 };
    // head 50 B runs; 50 B waits; a third line of 50 B: 100 <= 127
    expect(windowAllows(flow, 2, 100, 50, 50)).toBe(true);
    // head 50 B runs; 100 B wait; a fourth line of 50 B: 150 > 127
    expect(windowAllows(flow, 3, 150, 50, 50)).toBe(false);
    expect(windowAllows({ ...flow, maxLines: 3 }, 3, 30, 10, 10)).toBe(false);
  });
});
