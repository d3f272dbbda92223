import { describe, expect, it } from "vitest";
import { formatLine, harness } from "./sim-harness.ts";

describe("boot", () => {
  it("prints Marlin's banner when it starts", () => {
    const h = harness(() => {}, true);
    expect(h.take()).toEqual([
      "start",
      "echo:Marlin 2.1.2.1",
      "echo: Last Updated: 2023-08-05 | Author: (none, default config)",
      "echo:Compiled: Aug  5 2023",
      "echo: Free Memory: 5095  PlannerBufferBytes: 1312",
      "echo:SD card ok",
    ]);
  });

  it("drops input during the boot delay", () => {
    const h = harness((c) => {
      c.bootDelayMs = 500;
    }, true);
    h.send("M105\n");
    expect(h.take()).toEqual([]);
    h.advance(500);
    expect(h.take()[0]).toBe("start");
    h.send("M105\n");
    expect(h.take()).toEqual(["ok T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0"]);
  });
});

describe("reports", () => {
  it("M105 puts the temperatures on the ok line", () => {
    const h = harness();
    h.line(1, "M105");
    expect(h.take()).toEqual(["ok T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0"]);
  });

  it("M115 names the profile's firmware and reports the configured capabilities", () => {
    const h = harness((c) => {
      c.capabilities.advancedOk = true;
      c.capabilities.autoreportTemp = true;
      c.capabilities.hostActionCommands = true;
    });
    h.send("M115\n");
    const lines = h.take();
    expect(lines[0]).toBe(
      "FIRMWARE_NAME:Marlin 2.1.2.1 (Github) SOURCE_CODE_URL:github.com/MarlinFirmware/Marlin PROTOCOL_VERSION:1.0 MACHINE_TYPE:Layerwatch Simulator EXTRUDER_COUNT:1 UUID:cede2a2f-41a2-4748-9b12-c55c62f367ff",
    );
    expect(lines).toContain("Cap:ADVANCED_OK:1");
    expect(lines).toContain("Cap:AUTOREPORT_TEMP:1");
    expect(lines).toContain("Cap:EMERGENCY_PARSER:0");
    expect(lines).toContain("Cap:HOST_ACTION_COMMANDS:1");
    expect(lines).toContain("Cap:CHAMBER_TEMPERATURE:0");
    expect(lines.slice(1, -1).every((l) => /^Cap:[A-Z0-9_]+:[01]$/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe("ok P15 B3");
  });

  it("M155 auto-reports every S seconds until S0", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.capabilities.autoreportTemp = true;
    });
    h.send("M155 S1\n");
    expect(h.take()).toEqual(["ok"]);
    h.advance(3000);
    expect(h.take()).toEqual([
      " T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0",
      " T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0",
      " T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0",
    ]);
    h.send("M155 S0\n");
    h.advance(3000);
    expect(h.take()).toEqual(["ok"]);
  });

  it("M155 runs on simulated time: ten times faster at speed 10", () => {
    const h = harness((c) => {
      c.speed = 10;
      c.capabilities.autoreportTemp = true;
    });
    h.send("M155 S2\n");
    h.advance(1000);
    expect(h.take().filter((l) => l.startsWith(" T:"))).toHaveLength(5);
  });

  it("M155 is an unknown command without AUTOREPORT_TEMP", () => {
    const h = harness((c) => {
      c.capabilities.autoreportTemp = false;
    });
    h.send("M155 S2\n");
    expect(h.take()).toEqual(['echo:Unknown command: "M155 S2"', "ok"]);
  });

  it("M114 reports the position and the stepper counts", () => {
    const h = harness();
    h.send("G1 X10 Y20 Z0.3 E1.5 F3000\nM114\n");
    expect(h.take()).toEqual(["ok", "X:10.00 Y:20.00 Z:0.30 E:1.50 Count X:800 Y:1600 Z:120", "ok"]);
  });

  it("keeps absolute/relative modes and G92 positions", () => {
    const h = harness();
    h.send("G91\nG1 X5 E1\nG1 X5 E1\nG90\nM83\nG1 X1 E2\nG92 E0\nM82\nG1 E3\nM114\n");
    expect(h.take().at(-2)).toBe("X:1.00 Y:0.00 Z:0.00 E:3.00 Count X:80 Y:0 Z:0");
  });

  it("G28 homes, then reports the position", () => {
    const h = harness((c) => {
      c.speed = 1;
    });
    h.send("G1 X50 Y50 Z5\nG28\n");
    h.advance(2900);
    expect(h.take()).toEqual(["ok"]);
    h.advance(3000);
    expect(h.take()).toEqual(["X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0", "ok"]);
  });
});

describe("host interaction", () => {
  it("M118 prints text, echo: with E1 and //action: with A1", () => {
    const h = harness();
    h.send("M118 Hello world\nM118 E1 hi\nM118 A1 pause\nM118 A1 action:resume\n");
    expect(h.take()).toEqual([
      "Hello world",
      "ok",
      "echo:hi",
      "ok",
      "//action:pause",
      "ok",
      "//action:resume",
      "ok",
    ]);
  });

  it("M600 pauses for the user with keepalives, and M108 continues", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.filamentChangeMs = 60_000;
      c.capabilities.busyProtocol = true;
      c.capabilities.hostActionCommands = true;
    });
    h.send("M600\n");
    h.advance(4000);
    expect(h.take()).toEqual(["//action:paused", "echo:busy: paused for user", "echo:busy: paused for user"]);
    h.send("M108\n");
    expect(h.take()).toEqual(["//action:resumed", "ok", "ok"]);
  });

  it("M999 asks for the next line again", () => {
    const h = harness();
    h.line(1, "M105");
    h.take();
    h.send("M999\n");
    expect(h.take()).toEqual(["Resend: 2", "ok", "ok"]);
  });

  it("answers unknown commands with an echo and ok", () => {
    const h = harness();
    h.line(1, "G999 X1");
    h.send("M42 P1\nhello\n");
    expect(h.take()).toEqual([
      'echo:Unknown command: "G999 X1"',
      "ok",
      "ok",
      'echo:Unknown command: "hello"',
      "ok",
    ]);
  });

  it("knows one extruder", () => {
    const h = harness();
    h.send("T0\nT1\n");
    expect(h.take()).toEqual(["ok", "echo:T1 Invalid extruder", "ok"]);
  });
});

describe("SD card", () => {
  it("lists, selects and reports progress", () => {
    const h = harness((c) => {
      c.speed = 1;
    });
    h.send("M21\nM20\nM27\nM23 cube.gco\nM24\n");
    expect(h.take()).toEqual([
      "echo:SD card ok",
      "ok",
      "Begin file list",
      "CUBE.GCO 672986",
      "End file list",
      "ok",
      "Not SD printing",
      "ok",
      "File opened: cube.gco Size: 672986",
      "File selected",
      "ok",
      "ok",
    ]);
    h.advance(10_000);
    h.send("M27\n");
    expect(h.take()).toEqual(["SD printing byte 10000/672986", "ok"]);
    h.send("M23 nothere.gco\n");
    expect(h.take()).toEqual(["open failed, File: nothere.gco.", "ok"]);
  });

  it("prints Done printing file at the end of the file", () => {
    const h = harness((c) => {
      c.speed = 1000;
    });
    h.send("M23 cube.gco\nM26 S672000\nM24\n");
    h.take();
    h.advance(1);
    expect(h.take()).toEqual(["Done printing file"]);
    h.send("M27\n");
    expect(h.take()).toEqual(["Not SD printing", "ok"]);
  });
});

describe("motion timing", () => {
  it("acknowledges a move once it is planned, and waits while the planner is full", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.capabilities.advancedOk = true;
    });
    let wire = "";
    for (let n = 1; n <= 17; n++) wire += formatLine(n, `G1 X${n * 10} F6000`);
    h.send(wire);
    const oks = h.take();
    // 15 blocks fill the planner (BLOCK_BUFFER_SIZE - 1); the 16th waits for the first to finish.
    expect(oks).toHaveLength(15);
    expect(oks[0]).toBe("ok N1 P14 B3");
    expect(oks[14]).toBe("ok N15 P0 B3");
    h.advance(1000);
    expect(h.take().slice(0, 2)).toEqual(["ok N16 P0 B2", "ok N17 P0 B3"]);
  });

  it("M400 waits for the moves; G4 dwells after them", () => {
    const h = harness((c) => {
      c.speed = 1;
    });
    h.send("G1 X100 F6000\nM400\n");
    expect(h.take()).toEqual(["ok"]);
    // 100 mm at 100 mm/s from rest: 1 s cruising + 0.1 s of ramps at 1000 mm/s².
    h.advance(1099);
    expect(h.take()).toEqual([]);
    h.advance(1);
    expect(h.take()).toEqual(["ok"]);
    h.send("G4 P200\n");
    h.advance(199);
    expect(h.take()).toEqual([]);
    h.advance(1);
    expect(h.take()).toEqual(["ok"]);
  });
});
