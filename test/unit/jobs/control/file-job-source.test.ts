import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FileJobSource, type SpecialLine } from "../../../../server/jobs/control/file-job-source.ts";

const dir = mkdtempSync(path.join(tmpdir(), "layerwatch-source-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Buffer): string {
  const at = path.join(dir, name);
  writeFileSync(at, content);
  return at;
}

function drain(source: FileJobSource): { command: string; ref: number }[] {
  const lines: { command: string; ref: number }[] = [];
  for (let line = source.next(); line !== null; line = source.next()) lines.push(line);
  return lines;
}

describe("FileJobSource", () => {
  it("yields commands with the byte offset of their line, comments and blank lines dropped", () => {
    const text = "; header\nG28\n\nG1 X1 ; move\r\nM105";
    const lines = drain(new FileJobSource(file("a.gcode", text)));
    expect(lines).toEqual([
      { command: "G28", ref: text.indexOf("G28") },
      { command: "G1 X1", ref: text.indexOf("G1") },
      { command: "M105", ref: text.indexOf("M105") },
    ]);
  });

  it("starts at a given offset", () => {
    const text = "G1 X1\nG1 X2\nG1 X3\n";
    const start = text.indexOf("G1 X2");
    expect(
      drain(new FileJobSource(file("b.gcode", text), { startOffset: start })).map((l) => l.command),
    ).toEqual(["G1 X2", "G1 X3"]);
  });

  it("skips a UTF-8 byte-order mark", () => {
    const path = file("bom.gcode", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("G28\n")]));
    expect(drain(new FileJobSource(path))).toEqual([{ command: "G28", ref: 3 }]);
  });

  it("reads across chunk boundaries without losing or splitting a line", () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `G1 X${i} Y${i % 7} E0.0${i % 10}`);
    const text = `${lines.join("\n")}\n`;
    const at = file("big.gcode", text);
    const got = drain(new FileJobSource(at));
    expect(got.map((l) => l.command)).toEqual(lines);
    const bytes = readFileSync(at, "latin1");
    for (const line of got.slice(0, 50).concat(got.slice(-50))) {
      expect(bytes.slice(line.ref, line.ref + line.command.length)).toBe(line.command);
    }
  });

  it("keeps host pauses and @commands to itself and reports them; M600 is sent and reported", () => {
    const text = "G1 X1\nM0 Click to continue\nG1 X2\n@pause\n@cancel\n@wait\nM600\nM1\nM25\nG1 X3\n";
    const seen: [SpecialLine, number][] = [];
    const lines = drain(
      new FileJobSource(file("c.gcode", text), { special: (kind, ref) => seen.push([kind, ref]) }),
    );
    expect(lines.map((l) => l.command)).toEqual(["G1 X1", "G1 X2", "M600", "G1 X3"]);
    expect(seen).toEqual([
      ["pause", text.indexOf("M0")],
      ["pause", text.indexOf("@pause")],
      ["cancel", text.indexOf("@cancel")],
      ["filament-change", text.indexOf("M600")],
      ["pause", text.indexOf("M1\n")],
      ["pause", text.indexOf("M25")],
    ]);
  });

  it("reports the first command of each layer after the first, before returning it; a resume at a layer start is no change", () => {
    const text =
      ";LAYER_CHANGE\nG1 Z0.2\nG1 X1 E1\n;LAYER_CHANGE\nG1 Z0.4\nG1 X2 E1\n;LAYER_CHANGE\nG1 Z0.6\nG1 X3\n";
    const starts = [0, text.indexOf(";LAYER_CHANGE", 5), text.lastIndexOf(";LAYER_CHANGE")];
    const seen: [SpecialLine, number, number | null][] = [];
    const path = file("layers.gcode", text);
    const source = new FileJobSource(path, {
      layerStarts: starts,
      special: (kind, ref, previousRef) => seen.push([kind, ref, previousRef]),
    });
    drain(source);
    expect(seen).toEqual([
      ["layer", text.indexOf("G1 Z0.4"), text.indexOf("G1 X1")],
      ["layer", text.indexOf("G1 Z0.6"), text.indexOf("G1 X2")],
    ]);
    seen.length = 0;
    drain(
      new FileJobSource(path, {
        startOffset: starts[1],
        layerStarts: starts,
        special: (k, r, p) => seen.push([k, r, p]),
      }),
    );
    expect(seen).toEqual([["layer", text.indexOf("G1 Z0.6"), text.indexOf("G1 X2")]]);
  });
});
