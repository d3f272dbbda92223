import { describe, expect, it } from "vitest";
import { formatLine, harness } from "./sim-harness.ts";

describe("line errors (queue.cpp gcode_line_error)", () => {
  it("answers a checksum mismatch with the error, Resend and ok", () => {
    const h = harness();
    h.line(1, "M105");
    h.take();
    h.send("N2 G1 X10*0\n");
    expect(h.take()).toEqual(["Error:checksum mismatch, Last Line: 1", "Resend: 2", "ok"]);
    h.line(2, "G1 X10");
    expect(h.take()).toEqual(["ok"]);
  });

  it("answers a missing checksum and a checksum without line number", () => {
    const h = harness();
    h.send("N1 G28\n");
    h.send("G28*10\n");
    expect(h.take()).toEqual([
      "Error:No Checksum with line number, Last Line: 0",
      "Resend: 1",
      "ok",
      "Error:No Line Number with checksum, Last Line: 0",
      "Resend: 1",
      "ok",
    ]);
  });

  it("repeats the line-number error for every line still on the wire after the flush", () => {
    const h = harness();
    h.line(1, "M105");
    h.take();
    h.send(`N2 G1 X10*0\n${formatLine(3, "G1 X20")}${formatLine(4, "G1 X30")}`);
    expect(h.take()).toEqual([
      "Error:checksum mismatch, Last Line: 1",
      "Resend: 2",
      "ok",
      "Error:Line Number is not Last Line Number+1, Last Line: 1",
      "Resend: 2",
      "ok",
      "Error:Line Number is not Last Line Number+1, Last Line: 1",
      "Resend: 2",
      "ok",
    ]);
    expect(h.printer.recording).toEqual(["M105"]);
  });

  it("discards everything waiting in RX when a queued line fails", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.commandBufferSlots = 2;
    });
    h.line(1, "G4 P1000");
    h.line(2, "G4 P1000");
    // The queue is full: these wait in RX until a slot frees.
    h.send(`N3 M105*0\n${formatLine(4, "M105")}${formatLine(5, "M105")}`);
    expect(h.take()).toEqual([]);
    h.advance(1000);
    expect(h.take()).toEqual(["ok", "Error:checksum mismatch, Last Line: 2", "Resend: 3", "ok"]);
    h.advance(1000);
    expect(h.take()).toEqual(["ok"]);
    expect(h.printer.recording).toEqual(["G4 P1000", "G4 P1000"]);
    expect(h.printer.stats.lineErrors).toBe(1);
  });

  it("renumbers with M110, numbered or not", () => {
    const h = harness();
    h.line(1, "M105");
    h.send("M110 N10\n");
    h.line(11, "G90");
    h.send("N0 M110 N0*125\n");
    h.line(1, "G91");
    expect(h.take().filter((l) => !l.startsWith("ok"))).toEqual([]);
    expect(h.printer.recording).toEqual(["M105", "M110 N10", "G90", "M110 N0", "G91"]);
  });

  it("lets printcore's N-1 M110 set the counter to -1", () => {
    const h = harness();
    h.send(`${formatLine(-1, "M110")}${formatLine(0, "G28")}`);
    expect(h.take()).toEqual(["ok", "X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0", "ok"]);
  });

  it("takes lines without line end handling of CR LF", () => {
    const h = harness();
    h.send("M400\r\nG90\r\n");
    expect(h.take()).toEqual(["ok", "ok"]);
  });
});

describe("ADVANCED_OK (ok_to_send)", () => {
  it("reports the command's N, planner and queue space", () => {
    const h = harness((c) => {
      c.capabilities.advancedOk = true;
    });
    h.line(1, "G1 X10");
    h.send("G1 X20\n");
    expect(h.take()).toEqual(["ok N1 P15 B3", "ok P15 B3"]);
  });

  it("reads B one low for the executing command and P for planned moves", () => {
    const h = harness((c) => {
      c.capabilities.advancedOk = true;
      c.speed = 1;
    });
    h.send(`${formatLine(1, "G4 P100")}${formatLine(2, "G1 X10 F600")}${formatLine(3, "G1 X20")}`);
    h.advance(100);
    expect(h.take()).toEqual(["ok N1 P15 B1", "ok N2 P14 B2", "ok N3 P13 B3"]);
  });

  it("echoes the line number characters as sent", () => {
    const h = harness((c) => {
      c.capabilities.advancedOk = true;
    });
    h.send(`${formatLine(-1, "M110")}`);
    expect(h.take()).toEqual(["ok N-1 P15 B3"]);
  });
});

describe("RX buffer and command queue", () => {
  it("loses the bytes that arrive while RX is full", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.commandBufferSlots = 1;
      c.rxBufferBytes = 24;
    });
    h.line(1, "G4 P1000");
    // 11 + 21 + 10 bytes: RX keeps line 2 and the first 13 bytes of line 3.
    const waiting = `${formatLine(2, "M105")}${formatLine(3, "G1 X10 Y10 Z10")}${formatLine(4, "G90")}`;
    expect(waiting).toHaveLength(42);
    h.send(waiting);
    expect(h.printer.stats.lostBytes).toBe(42 - 24);
    h.advance(1000);
    expect(h.take()).toEqual(["ok", "ok T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0"]);
    // The host resends line 3 after a timeout: it lands behind the stale fragment.
    h.line(3, "G1 X10 Y10 Z10");
    expect(h.take()).toEqual(["Error:checksum mismatch, Last Line: 2", "Resend: 3", "ok"]);
    expect(h.printer.recording).toEqual(["G4 P1000", "M105"]);
  });

  it("moves lines into the queue only while a slot is free, and runs them in order", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.capabilities.advancedOk = true;
    });
    for (let n = 1; n <= 6; n++) h.line(n, n === 1 ? "G4 P500" : "M400");
    expect(h.printer.recording).toEqual(["G4 P500"]);
    h.advance(500);
    expect(h.take()).toEqual([
      "ok N1 P15 B0",
      "ok N2 P15 B0",
      "ok N3 P15 B0",
      "ok N4 P15 B1",
      "ok N5 P15 B2",
      "ok N6 P15 B3",
    ]);
  });

  it("truncates long lines to MAX_CMD_SIZE - 1 and strips comments", () => {
    const h = harness();
    h.send(`M117 ${"x".repeat(140)}\nG1 X5 ; travel\n`);
    expect(h.printer.recording).toEqual([`M117 ${"x".repeat(90)}`, "G1 X5"]);
  });

  it("ignores empty and comment-only lines, but answers a line of blanks as Marlin does", () => {
    const h = harness();
    h.send("\n; just a comment\n");
    expect(h.take()).toEqual([]);
    h.send("   \n");
    expect(h.take()).toEqual(['echo:Unknown command: ""', "ok"]);
  });
});

describe("processing time", () => {
  it("spends commandTimeMs of simulated time on every command", () => {
    const h = harness((c) => {
      c.speed = 2;
      c.commandTimeMs = 10;
    });
    h.send("G90\nG91\n");
    h.advance(4.9);
    expect(h.take()).toEqual([]);
    h.advance(0.1);
    expect(h.take()).toEqual(["ok"]);
    h.advance(5);
    expect(h.take()).toEqual(["ok"]);
  });
});

describe("critical commands", () => {
  it("breaks a heat wait with an unnumbered M108, caught before the queue", () => {
    const h = harness((c) => {
      c.speed = 1;
    });
    h.send("M109 S200\n");
    h.advance(5000);
    h.take();
    h.send("M108\n");
    expect(h.take()).toEqual(["ok", "ok"]);
  });

  it("does not catch a numbered M108 early (without EMERGENCY_PARSER)", () => {
    const h = harness((c) => {
      c.speed = 1;
    });
    h.send("M109 S200\n");
    h.advance(5000);
    h.take();
    h.line(1, "M108");
    h.advance(1000);
    expect(h.take().filter((l) => l.startsWith("ok"))).toEqual([]);
  });

  it("acts on M112 as soon as it arrives with EMERGENCY_PARSER, even with the queue full", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.commandBufferSlots = 1;
      c.capabilities.emergencyParser = true;
    });
    h.line(1, "G4 P10000");
    h.line(2, "M112");
    expect(h.take()).toEqual(["Error:Printer halted. kill() called!"]);
    expect(h.printer.state).toBe("killed");
    h.line(3, "M105");
    h.advance(20000);
    expect(h.take()).toEqual([]);
  });

  it("waits for a free slot before it sees M112 without EMERGENCY_PARSER", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.commandBufferSlots = 1;
    });
    h.line(1, "G4 P1000");
    h.send("M112\n");
    expect(h.take()).toEqual([]);
    h.advance(1000);
    expect(h.take()).toEqual(["ok", "Error:Printer halted. kill() called!"]);
    expect(h.printer.recording).toEqual(["G4 P1000", "M112"]);
  });
});

describe("host keepalive", () => {
  it("prints busy: processing every interval while a command blocks", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.capabilities.busyProtocol = true;
    });
    h.line(1, "G4 S5");
    h.advance(5000);
    expect(h.take()).toEqual(["echo:busy: processing", "echo:busy: processing", "ok"]);
    h.line(2, "M113 S1");
    h.line(3, "G4 P2500");
    h.advance(2500);
    expect(h.take()).toEqual(["ok", "echo:busy: processing", "echo:busy: processing", "ok"]);
  });

  it("is silent when BUSY_PROTOCOL is off", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.capabilities.busyProtocol = false;
    });
    h.line(1, "G28");
    h.advance(5000);
    expect(h.take()).toEqual(["X:0.00 Y:0.00 Z:0.00 E:0.00 Count X:0 Y:0 Z:0", "ok"]);
  });
});
