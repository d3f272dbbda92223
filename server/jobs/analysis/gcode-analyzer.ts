import type { AnalysisOptions } from "./analysis-options.ts";
import { DEFAULT_MOTION } from "./analysis-options.ts";
import type { Analysis, LongestLine, SlicerMetadata } from "./analysis-types.ts";
import { BoundsTracker } from "./bounds.ts";
import { CommandScanner } from "./command-scanner.ts";
import { HeatUpEstimator } from "./heat-up.ts";
import { LayerTracker } from "./layer-tracker.ts";
import { LineReader } from "./line-reader.ts";
import { applyMachineLimits, limitsFromMotion } from "./machine-limits.ts";
import { MotionPlanner } from "./motion-planner.ts";
import { emptySlicerMetadata, readMetadataComment } from "./slicer-metadata.ts";
import { ThumbnailCollector } from "./thumbnails.ts";

/** A longer line is cut to this many bytes for parsing and `longestLine`; the fixtures' longest is 1,169. */
const MAX_LINE_BYTES = 64 * 1024;

const G = 0x47;
const M = 0x4d;
/** Word indexes in `CommandScanner.values` (letter - 'A') and their `present` bits. */
const E = 4;
const F = 5;
const X = 23;
const Y = 24;
const Z = 25;
const BIT_E = 1 << E;
const BIT_F = 1 << F;
const BIT_X = 1 << X;
const BIT_Y = 1 << Y;
const BIT_Z = 1 << Z;

/**
 * Streaming G-code analyser: `push()` chunks in file order, then `finish()`. Works on bytes (commands are
 * ASCII; only comment lines are decoded), so memory is bounded by one chunk, the longest line, the
 * planner's lookahead window, the thumbnails and the per-layer index.
 */
export class GcodeAnalyzer {
  private readonly reader = new LineReader(
    (buf, start, end, offset) => this.line(buf, start, end, offset),
    MAX_LINE_BYTES,
  );
  private readonly scan = new CommandScanner();
  private lineNumber = 0;

  private readonly planner: MotionPlanner;
  private readonly fileLimits: ReadonlySet<string>;
  private readonly heat: HeatUpEstimator;
  private readonly layers = new LayerTracker(() => this.planner.elapsedWithQueued);
  private readonly thumbs = new ThumbnailCollector();
  private readonly meta: SlicerMetadata = emptySlicerMetadata();
  private readonly box = new BoundsTracker();
  private readonly objectBox = new BoundsTracker();
  private readonly filamentTotal: number[] = [0];
  private readonly filament: number[] = [0];
  /** Inside a PrusaSlicer-family `;TYPE:Custom` section (start/end/custom G-code). */
  private custom = false;
  private longest: LongestLine = { length: 0, lineNumber: 0 };

  private x = 0;
  private y = 0;
  private z = 0;
  private e = 0;
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

  constructor(options: AnalysisOptions = {}) {
    const motion = options.motion ?? DEFAULT_MOTION;
    this.planner = new MotionPlanner(limitsFromMotion(motion));
    this.fileLimits = new Set(motion.fileLimitCommands);
    this.heat = new HeatUpEstimator({
      hotend: motion.heating.hotendDegPerSecond,
      bed: motion.heating.bedDegPerSecond,
    });
  }

  /** Feeds the next piece of the file. */
  push(chunk: Buffer | string): void {
    this.reader.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk);
  }

  /** Ends the stream and returns the figures. */
  finish(): Analysis {
    this.reader.end();
    this.planner.flush();
    const layerIndex = this.layers.layers;
    const estimatedSeconds = this.planner.elapsed;
    const heatUpSeconds = this.heat.seconds;
    return {
      estimatedSeconds,
      heatUpSeconds,
      totalSeconds: estimatedSeconds + heatUpSeconds,
      layers: layerIndex.length,
      layerIndex,
      boundingBox: this.box.box(),
      objectBoundingBox: this.objectBox.box(),
      filamentMm: [...this.filament],
      filamentTotalMm: [...this.filamentTotal],
      longestLine: { ...this.longest },
      slicer: { ...this.meta },
      thumbnails: this.thumbs.thumbnails,
      lines: this.lineNumber,
      bytes: this.reader.bytes,
    };
  }

  private line(buf: Buffer, from: number, to: number, offset: number): void {
    this.lineNumber++;
    let start = from;
    // A UTF-8 byte order mark before the first line.
    if (offset === 0 && buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    const end = Math.min(to, start + MAX_LINE_BYTES);
    const scan = this.scan;
    const kind = scan.scan(buf, start, end);
    if (kind === "blank") return;
    if (kind === "comment") {
      this.comment(buf.toString("utf8", scan.start, end).trimEnd(), offset);
      return;
    }
    if (scan.length > this.longest.length)
      this.longest = { length: scan.length, lineNumber: this.lineNumber };
    if (scan.letter === G) this.gCode(scan.code, offset);
    else if (scan.letter === M) this.mCode(scan.code);
    else if (scan.letter !== 0) this.toolChange(scan.code);
  }

  private comment(comment: string, offset: number): void {
    if (comment.startsWith(";TYPE:")) this.custom = comment === ";TYPE:Custom";
    else if (!this.thumbs.feed(comment) && !this.layers.comment(comment, offset))
      readMetadataComment(comment, this.meta);
  }

  private gCode(code: number, offset: number): void {
    const scan = this.scan;
    switch (code) {
      case 0:
      case 1:
        this.linearMove(offset);
        return;
      case 4:
        // Marlin G4: P milliseconds, S seconds.
        this.planner.dwell((scan.value("P") ?? 0) / 1000 + (scan.value("S") ?? 0));
        return;
      case 20:
        this.inchUnits = true;
        return;
      case 21:
        this.inchUnits = false;
        return;
      case 28: {
        // No axis letter homes all; homing itself is not timed (PrusaSlicer's estimator does not either).
        const all = !scan.has("X") && !scan.has("Y") && !scan.has("Z");
        if (all || scan.has("X")) this.x = 0;
        if (all || scan.has("Y")) this.y = 0;
        if (all || scan.has("Z")) this.z = 0;
        return;
      }
      case 90:
        this.absoluteXYZ = true;
        return;
      case 91:
        this.absoluteXYZ = false;
        return;
      case 92: {
        const none = scan.present === 0;
        this.x = scan.value("X") ?? (none ? 0 : this.x);
        this.y = scan.value("Y") ?? (none ? 0 : this.y);
        this.z = scan.value("Z") ?? (none ? 0 : this.z);
        this.e = scan.value("E") ?? (none ? 0 : this.e);
        return;
      }
    }
  }

  private mCode(code: number): void {
    const scan = this.scan;
    switch (code) {
      case 73:
        this.meta.hasM73 = true;
        return;
      case 82:
        this.absoluteE = true;
        return;
      case 83:
        this.absoluteE = false;
        return;
      case 104:
      case 109:
        this.heater(`T${scan.value("T") ?? this.tool}`, code === 109);
        return;
      case 140:
      case 190:
        this.heater("bed", code === 190);
        return;
      case 201:
      case 203:
      case 204:
      case 205: {
        const name = `M${code}`;
        if (this.fileLimits.has(name)) applyMachineLimits(this.planner.limits, name, scan);
        return;
      }
    }
  }

  /**
   * M104/M140 set a target; M109/M190 set one (S waits while heating, R either way) and wait for it once the
   * moves before it are done, on a clock of those moves plus earlier waits.
   */
  private heater(key: string, wait: boolean): void {
    const now = this.planner.elapsedWithQueued + this.heat.seconds;
    const target = this.scan.value("S") ?? this.scan.value("R");
    if (target !== undefined) this.heat.setTarget(key, target, now);
    if (wait) this.heat.wait(key, now);
  }

  private linearMove(offset: number): void {
    const { present, values } = this.scan;
    const scale = this.inchUnits ? 25.4 : 1;
    if (present & BIT_F) {
      const f = values[F] as number;
      if (f > 0) this.feedrate = (f * scale) / 60;
    }
    const abs = this.absoluteXYZ;
    const x = present & BIT_X ? (abs ? 0 : this.x) + (values[X] as number) * scale : this.x;
    const y = present & BIT_Y ? (abs ? 0 : this.y) + (values[Y] as number) * scale : this.y;
    const z = present & BIT_Z ? (abs ? 0 : this.z) + (values[Z] as number) * scale : this.z;
    const absE = abs && this.absoluteE;
    const e = present & BIT_E ? (absE ? 0 : this.e) + (values[E] as number) * scale : this.e;
    const dx = x - this.x;
    const dy = y - this.y;
    const dz = z - this.z;
    const de = e - this.e;
    const startX = this.x;
    const startY = this.y;
    const startZ = this.z;
    this.x = x;
    this.y = y;
    this.z = z;
    this.e = e;
    if (dx === 0 && dy === 0 && dz === 0 && de === 0) return;
    this.filamentTotal[this.tool] = (this.filamentTotal[this.tool] ?? 0) + de;
    if (!this.custom) this.filament[this.tool] = (this.filament[this.tool] ?? 0) + de;
    this.planner.moveBy(dx, dy, dz, de, this.feedrate);
    if (dz !== 0) this.layers.zMove(offset);
    if (de > 0 && (dx !== 0 || dy !== 0 || dz !== 0)) {
      this.layers.extrusion(z);
      this.box.add(startX, startY, startZ);
      this.box.add(x, y, z);
      if (!this.custom) {
        this.objectBox.add(startX, startY, startZ);
        this.objectBox.add(x, y, z);
      }
    }
  }

  private toolChange(tool: number): void {
    if (!Number.isInteger(tool) || tool < 0 || tool > 255) return;
    this.tool = tool;
    while (this.filament.length <= tool) this.filament.push(0);
    while (this.filamentTotal.length <= tool) this.filamentTotal.push(0);
  }
}

/** Analyses a whole in-memory text (tests, small files). */
export function analyzeGcodeText(text: string, options?: AnalysisOptions): Analysis {
  const analyzer = new GcodeAnalyzer(options);
  analyzer.push(text);
  return analyzer.finish();
}
