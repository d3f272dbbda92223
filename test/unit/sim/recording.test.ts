import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { formatLine, harness } from "./sim-harness.ts";

describe("recording", () => {
  it("keeps every executed command without line number, checksum, comment or blanks", () => {
    const h = harness();
    h.send(`${formatLine(1, "G1 X10 Y20 E0.5")}  M104 S200 ; heat\nN2 G1 X11*0\nM105\n`);
    h.send(`${formatLine(2, "M107")}`);
    expect(h.printer.recording).toEqual(["G1 X10 Y20 E0.5", "M104 S200", "M105", "M107"]);
  });

  it("streams to a file, one command per line, written on stop", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "layerwatch-rec-")), "record.txt");
    const h = harness((c) => {
      c.record.file = file;
      c.record.inMemory = false;
    });
    for (let n = 1; n <= 100; n++) h.line(n, `G1 X${n}`);
    await h.printer.stop();
    const lines = readFileSync(file, "utf8").split("\n");
    expect(lines).toHaveLength(101);
    expect(lines[0]).toBe("G1 X1");
    expect(lines[99]).toBe("G1 X100");
    expect(lines[100]).toBe("");
    expect(h.printer.recording).toEqual([]);
  });
});
