import { describe, expect, it } from "vitest";
import { PrinterStateMachine, type StateChange } from "../../../server/printer/state-machine.ts";

describe("PrinterStateMachine", () => {
  it("follows connect → print → finish and emits each change with its reason", () => {
    const machine = new PrinterStateMachine();
    const changes: StateChange[] = [];
    machine.on("change", (c) => changes.push(c));
    machine.transition("connecting", "opening /dev/ttyACM0");
    machine.transition("idle", "connected");
    machine.transition("printing", "print started");
    machine.transition("pausing", "pause requested");
    machine.transition("paused", "parked");
    machine.transition("resuming", "resume requested");
    machine.transition("printing", "back at the part");
    machine.transition("idle", "print finished");
    expect(changes.map((c) => `${c.from}->${c.to}`)).toEqual([
      "disconnected->connecting",
      "connecting->idle",
      "idle->printing",
      "printing->pausing",
      "pausing->paused",
      "paused->resuming",
      "resuming->printing",
      "printing->idle",
    ]);
    expect(changes[0]?.reason).toBe("opening /dev/ttyACM0");
  });

  it("throws on a transition the table does not allow, and stays where it was", () => {
    const machine = new PrinterStateMachine();
    expect(() => machine.transition("printing", "start")).toThrow(/cannot go from disconnected to printing/);
    expect(machine.state).toBe("disconnected");
    machine.transition("connecting", "x");
    machine.transition("idle", "x");
    expect(() => machine.transition("paused", "pause while idle")).toThrowError(
      expect.objectContaining({ code: "INVALID_STATE" }),
    );
  });

  it("tryTransition reports a refused move instead of throwing", () => {
    const machine = new PrinterStateMachine();
    expect(machine.tryTransition("idle", "x")).toBe(false);
    expect(machine.tryTransition("connecting", "x")).toBe(true);
    expect(machine.tryTransition("connecting", "again")).toBe(false);
  });
});
