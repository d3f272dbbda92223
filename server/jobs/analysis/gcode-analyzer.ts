import { StringDecoder } from "node:string_decoder";
import { commandCode, stripComment } from "../../gcode/line.ts";
import type { Analysis, BoundingBox, LongestLine, SlicerMetadata } from "./analysis-types.ts";
import { parseWords } from "./gcode-words.ts";
import { LayerTracker } from "./layer-tracker.ts";
import { applyMachineLimits } from "./machine-limits.ts";
import { type Axes4, MotionPlanner } from "./motion-planner.ts";
import { emptySlicerMetadata, readMetadataComment } from "./slicer-metadata.ts";
import { ThumbnailCollector } from "./thumbnails.ts";

/** A line longer than this is cut to it (for parsing and `longestLine`); the fixtures' longest line is 1,169 chars. */
const MAX_LINE_CHARS = 64 * 1024;

/**
 * Streaming G-code analyser: `push()` chunks in file order, then `finish()`. Memory is bounded by the
 * longest line, the planner's lookahead window, the thumbnails and the per-layer index.
 */
export class GcodeAnalyzer {
  private readonly decoder = new StringDecoder("utf8");
  private carry = "";
  private carryBytes = 0;
  private byteOffset = 0;
  private lineNumber = 0;

  private readonly planner = new MotionPlanner();
  private readonly layers = new LayerTracker();
  private readonly thumbs = new ThumbnailCollector();
  private readonly meta: SlicerMetadata = emptySlicerMetadata();
  private box: BoundingBox | null = null;
  private objectBox: BoundingBox | null = null;
  private readonly filamentTotal: number[] = [0];
  /** Inside a PrusaSlicer-family `;TYPE:Custom` section (start/end/custom G-code). */
  private custom = false;
  private longest: LongestLine = { length: 0, lineNumber: 0 };
  private readonly filament: number[] = [0];

  private pos: Axes4 = [0, 0, 0, 0];
  private absoluteXYZ = true;
  /**
   * M82/M83. E moves relative when either G91 or M83 is in force, and G90 leaves M83 alone, as in
   * Marlin 1.x / Prusa firmware and PrusaSlicer's `GCodeProcessor` (Marlin 2's G90 also clears M83).
   */
  private absoluteE = true;
  /** mm/s until the first F word; Marlin `motion.cpp`: `feedrate_mm_s = MMM_TO_MMS(1500)`. */
  private feedrate = 25;
  private tool = 0;
  private inchUnits = false;

  /** Feeds the next piece of the file. */
  push(chunk: Buffer | string): void {
    const text = typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    let start = 0;
    for (;;) {
      const nl = text.indexOf("\n", start);
      if (nl === -1) break;
      const piece = text.slice(start, nl);
      if (this.carry.length > 0) {
        this.line(this.appendCarry(piece), this.carryBytes + Buffer.byteLength(piece) + 1);
        this.carry = "";
        this.carryBytes = 0;
      } else {
        this.line(piece, Buffer.byteLength(piece) + 1);
      }
      start = nl + 1;
    }
    if (start < text.length) {
      const rest = text.slice(start);
      this.carryBytes += Buffer.byteLength(rest);
      this.carry = this.appendCarry(rest);
    }
  }

  /** Ends the stream and returns the figures. */
  finish(): Analysis {
    const tail = this.decoder.end();
    if (tail.length > 0) this.push(tail);
    if (this.carry.length > 0 || this.carryBytes > 0) {
      this.line(this.carry, this.carryBytes);
      this.carry = "";
      this.carryBytes = 0;
    }
    this.planner.flush();
    const layerIndex = this.layers.layers;
    return {
      estimatedSeconds: this.planner.elapsed,
      layers: layerIndex.length,
      layerIndex,
      boundingBox: this.box,
      objectBoundingBox: this.objectBox,
      filamentMm: [...this.filament],
      filamentTotalMm: [...this.filamentTotal],
      longestLine: { ...this.longest },
      slicer: { ...this.meta },
      thumbnails: this.thumbs.thumbnails,
      lines: this.lineNumber,
      bytes: this.byteOffset,
    };
  }

  private appendCarry(piece: string): string {
    const joined = this.carry + piece;
    return joined.length > MAX_LINE_CHARS ? joined.slice(0, MAX_LINE_CHARS) : joined;
  }

  private line(raw: string, bytes: number): void {
    const offset = this.byteOffset;
    this.byteOffset += bytes;
    this.lineNumber++;
    const trimmed = raw.trimStart();
    if (trimmed.startsWith(";")) {
      const comment = trimmed.trimEnd();
      if (comment.startsWith(";TYPE:")) this.custom = comment === ";TYPE:Custom";
      else if (!this.thumbs.feed(comment) && !this.layers.comment(comment, offset))
        readMetadataComment(comment, this.meta);
      return;
    }
    const command = stripComment(raw);
    if (command.length === 0) return;
    if (command.length > this.longest.length)
      this.longest = { length: command.length, lineNumber: this.lineNumber };
    this.command(command, offset);
  }

  private command(command: string, offset: number): void {
    const code = commandCode(command);
    if (code === null) return;
    switch (code) {
      case "G0":
      case "G1":
        this.linearMove(command, offset);
        return;
      case "G4": {
        // Marlin G4: P milliseconds, S seconds.
        const w = parseWords(command);
        this.planner.dwell((w.get("P") ?? 0) / 1000 + (w.get("S") ?? 0));
        return;
      }
      case "G20":
        this.inchUnits = true;
        return;
      case "G21":
        this.inchUnits = false;
        return;
      case "G28":
        this.home(command);
        return;
      case "G90":
        this.absoluteXYZ = true;
        return;
      case "G91":
        this.absoluteXYZ = false;
        return;
      case "M82":
        this.absoluteE = true;
        return;
      case "M83":
        this.absoluteE = false;
        return;
      case "G92":
        this.setPosition(command);
        return;
      case "M73":
        this.meta.hasM73 = true;
        return;
      case "M201":
      case "M203":
      case "M204":
      case "M205":
        applyMachineLimits(this.planner.limits, code, parseWords(command));
        return;
      case "M109":
      case "M190":
        // Heat-and-wait takes no time in the estimate: it depends on the printer's heaters, and PrusaSlicer's
        // `; estimated printing time` (the figure compared against) leaves it out too.
        return;
      default:
        if (code.startsWith("T")) this.toolChange(Number(code.slice(1)));
    }
  }

  private linearMove(command: string, offset: number): void {
    const w = parseWords(command);
    const scale = this.inchUnits ? 25.4 : 1;
    const f = w.get("F");
    if (f !== undefined && f > 0) this.feedrate = (f * scale) / 60;
    const next: Axes4 = [...this.pos];
    const letters = ["X", "Y", "Z", "E"] as const;
    for (let a = 0; a < 4; a++) {
      const v = w.get(letters[a] as string);
      if (v === undefined) continue;
      const absolute = a === 3 ? this.absoluteE && this.absoluteXYZ : this.absoluteXYZ;
      next[a] = absolute ? v * scale : (this.pos[a] as number) + v * scale;
    }
    const delta: Axes4 = [
      next[0] - this.pos[0],
      next[1] - this.pos[1],
      next[2] - this.pos[2],
      next[3] - this.pos[3],
    ];
    const start = this.pos;
    this.pos = next;
    if (delta[0] === 0 && delta[1] === 0 && delta[2] === 0 && delta[3] === 0) return;
    this.filamentTotal[this.tool] = (this.filamentTotal[this.tool] ?? 0) + delta[3];
    if (!this.custom) this.filament[this.tool] = (this.filament[this.tool] ?? 0) + delta[3];
    this.planner.move(delta, this.feedrate);
    if (delta[2] !== 0) this.layers.zMove(offset);
    if (delta[3] > 0 && (delta[0] !== 0 || delta[1] !== 0 || delta[2] !== 0)) {
      this.layers.extrusion(next[2]);
      this.box = extendBox(this.box, start);
      this.box = extendBox(this.box, next);
      if (!this.custom) {
        this.objectBox = extendBox(this.objectBox, start);
        this.objectBox = extendBox(this.objectBox, next);
      }
    }
  }

  private home(command: string): void {
    // G28 with no axis letter homes all; homing itself is not timed (PrusaSlicer's estimator does not either).
    const w = parseWords(command);
    const all = !w.has("X") && !w.has("Y") && !w.has("Z");
    if (all || w.has("X")) this.pos[0] = 0;
    if (all || w.has("Y")) this.pos[1] = 0;
    if (all || w.has("Z")) this.pos[2] = 0;
  }

  private setPosition(command: string): void {
    const w = parseWords(command);
    const letters = ["X", "Y", "Z", "E"] as const;
    const none = w.size === 0;
    for (let a = 0; a < 4; a++) {
      const v = w.get(letters[a] as string);
      if (v !== undefined) this.pos[a] = v;
      else if (none) this.pos[a] = 0;
    }
  }

  private toolChange(tool: number): void {
    if (!Number.isInteger(tool) || tool < 0 || tool > 255) return;
    this.tool = tool;
    while (this.filament.length <= tool) this.filament.push(0);
    while (this.filamentTotal.length <= tool) this.filamentTotal.push(0);
  }
}

/** Grows `box` (or starts it) to hold point `p`. */
function extendBox(box: BoundingBox | null, p: Axes4): BoundingBox {
  const [x, y, z] = p;
  if (box === null) return { minX: x, minY: y, minZ: z, maxX: x, maxY: y, maxZ: z };
  box.minX = Math.min(box.minX, x);
  box.minY = Math.min(box.minY, y);
  box.minZ = Math.min(box.minZ, z);
  box.maxX = Math.max(box.maxX, x);
  box.maxY = Math.max(box.maxY, y);
  box.maxZ = Math.max(box.maxZ, z);
  return box;
}

/** Analyses a whole in-memory text (tests, small files). */
export function analyzeGcodeText(text: string): Analysis {
  const analyzer = new GcodeAnalyzer();
  analyzer.push(text);
  return analyzer.finish();
}
