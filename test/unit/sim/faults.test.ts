import { describe, expect, it } from "vitest";
import { formatLine, type Harness, harness } from "./sim-harness.ts";

/** A host that resends on `Resend:` and moves on on `ok`, one line in flight. */
function pingPong(h: Harness, commands: string[]): { resends: number; timeouts: number } {
  let next = 1;
  let resends = 0;
  let timeouts = 0;
  let guard = 0;
  while (next <= commands.length && guard++ < commands.length * 20) {
    h.line(next, commands[next - 1] as string);
    const lines = h.take();
    const resend = lines.find((l) => l.startsWith("Resend: "));
    if (resend !== undefined) {
      resends++;
      next = Number(resend.slice(8));
    } else if (lines.some((l) => l.startsWith("ok"))) next++;
    else {
      timeouts++;
      // What a host does after a lost ok: ask again with the next line number via M110.
      h.send(`${formatLine(next, `M110 N${next}`)}`);
      h.take();
      next++;
    }
  }
  return { resends, timeouts };
}

const COMMANDS = Array.from(
  { length: 400 },
  (_, i) => `G1 X${i % 100} Y${(i * 3) % 100} E${(i * 0.02).toFixed(3)}`,
);

describe("corrupted lines", () => {
  it("are answered with errors and resends; every command still runs exactly once, in order", () => {
    const h = harness((c) => {
      c.faults.corruptRatio = 0.1;
      c.seed = 7;
    });
    const { resends } = pingPong(h, COMMANDS);
    expect(resends).toBeGreaterThan(15);
    expect(resends).toBeLessThan(80);
    expect(h.printer.recording).toEqual(COMMANDS);
  });

  it("are the same lines for the same seed", () => {
    const run = (seed: number): string => {
      const h = harness((c) => {
        c.faults.corruptRatio = 0.1;
        c.seed = seed;
      });
      pingPong(h, COMMANDS.slice(0, 100));
      return Buffer.concat(h.bytes).toString("latin1");
    };
    expect(run(3)).toBe(run(3));
    expect(run(3)).not.toBe(run(4));
  });
});

describe("dropped oks", () => {
  it("drop that fraction of numbered oks, never M105's", () => {
    const h = harness((c) => {
      c.faults.dropOkRatio = 0.2;
    });
    let oks = 0;
    for (let n = 1; n <= 500; n++) {
      h.line(n, "G90");
      oks += h.take().filter((l) => l === "ok").length;
    }
    expect(oks).toBeGreaterThan(350);
    expect(oks).toBeLessThan(450);
    for (let n = 501; n <= 600; n++) {
      h.line(n, "M105");
      expect(h.take()).toHaveLength(1);
    }
  });

  it("never drop the ok of an unnumbered command", () => {
    const h = harness((c) => {
      c.faults.dropOkRatio = 1;
    });
    h.send("G90\n");
    h.line(1, "G90");
    expect(h.take()).toEqual(["ok"]);
  });
});

describe("garbage lines", () => {
  it("precede some output lines with random bytes, not valid UTF-8, sometimes NUL", () => {
    const h = harness((c) => {
      c.faults.garbageRatio = 0.3;
    });
    for (let n = 1; n <= 300; n++) h.line(n, "G90");
    const raw = Buffer.concat(h.bytes);
    const lines = raw.toString("latin1").split("\n").slice(0, -1);
    const garbage = lines.filter((l) => l !== "ok");
    expect(lines.filter((l) => l === "ok")).toHaveLength(300);
    expect(garbage.length).toBeGreaterThan(50);
    expect(garbage.some((l) => l.includes("\0"))).toBe(true);
    expect(() => new TextDecoder("utf-8", { fatal: true }).decode(raw)).toThrow();
  });
});

describe("line-number faults", () => {
  it("resetAtLine: the firmware restarts, prints start and counts from 0 again", () => {
    const h = harness((c) => {
      c.faults.resetAtLine = 3;
    });
    h.line(1, "G90");
    h.line(2, "M104 S200");
    h.line(3, "G91");
    const lines = h.take();
    expect(lines.slice(0, 3)).toEqual(["ok", "ok", "start"]);
    expect(h.printer.recording).toEqual(["G90", "M104 S200"]);
    h.line(1, "M105");
    expect(h.take()[0]).toMatch(/^ok T:[\d.]+ \/0\.00 /);
  });

  it("thermalRunawayAtLine: halts with Marlin's two lines and ignores input", () => {
    const h = harness((c) => {
      c.faults.thermalRunawayAtLine = 2;
    });
    h.line(1, "G90");
    h.line(2, "G90");
    h.line(3, "M105");
    expect(h.take()).toEqual([
      "ok",
      "Error:Thermal Runaway, system stopped! Heater_ID: 0",
      "Error:Printer halted. kill() called!",
    ]);
    expect(h.printer.state).toBe("killed");
  });

  it("disconnectAtLine: the link drops and input is ignored", () => {
    const h = harness((c) => {
      c.faults.disconnectAtLine = 2;
    });
    let dropped = 0;
    h.printer.onDisconnect(() => dropped++);
    h.line(1, "G90");
    h.line(2, "G90");
    h.line(3, "G90");
    expect(h.take()).toEqual(["ok"]);
    expect(dropped).toBe(1);
    expect(h.printer.unplugged).toBe(true);
    expect(h.printer.recording).toEqual(["G90"]);
  });
});

describe("injection", () => {
  it("prints actions and raw lines on demand", () => {
    const h = harness();
    h.printer.inject({ action: "pause" });
    h.printer.inject({ line: "echo:hello" });
    expect(h.take()).toEqual(["//action:pause", "echo:hello"]);
  });
});
