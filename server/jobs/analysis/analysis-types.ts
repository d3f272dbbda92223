/** What the streaming G-code analyser reports about one file. */

export interface LayerInfo {
  /** Layer number, 0-based, in file order. */
  index: number;
  /** Print height of the layer, mm. */
  z: number;
  /** Layer thickness, mm (`;HEIGHT:` when the slicer writes it, else the Z step). */
  height: number;
  /** Byte offset of the layer's first line (the marker comment, or the move that starts it). */
  byteOffset: number;
  /** Modelled motion time before the layer starts, seconds: progress by time, not by bytes. */
  startSeconds: number;
}

export interface BoundingBox {
  minX: number;
  minY: number;
  minZ: number;
  maxX: number;
  maxY: number;
  maxZ: number;
}

export interface Thumbnail {
  width: number;
  height: number;
  format: "png" | "jpg" | "qoi";
  data: Buffer;
}

export interface SlicerMetadata {
  /** e.g. `"PrusaSlicer 2.5.0"`, `"Cura_SteamEngine 5.4.0"`; null when the file does not say. */
  generator: string | null;
  /** PrusaSlicer-family normal-mode estimate, or Cura `;TIME:`, in seconds. */
  estimatedSeconds: number | null;
  /** PrusaSlicer-family silent-mode estimate, in seconds. */
  estimatedSilentSeconds: number | null;
  /** Per extruder, mm (Cura reports metres; converted). */
  filamentMm: number[] | null;
  filamentG: number[] | null;
  filamentCm3: number[] | null;
  /** Cura `;LAYER_COUNT:`. */
  layerCount: number | null;
  /** The file sets its own progress with `M73 P.. R..`. */
  hasM73: boolean;
  /**
   * Sliced in spiral vase mode (PrusaSlicer `; spiral_vase = 1`, OrcaSlicer `; spiral_mode = 1`): Z rises
   * continuously and the wall never retracts. Absent in analyses stored before it was read.
   */
  spiralVase?: boolean;
}

export interface LongestLine {
  /** Characters of the command after `stripComment`. */
  length: number;
  /** 1-based line number. */
  lineNumber: number;
}

export interface Analysis {
  /**
   * Motion time, seconds: moves (trapezoidal profiles under the firmware profile's limits, overridden by the
   * file's M201/M203/M204/M205) and G4 dwells. Heat-up waits, homing and probing count 0, as in the slicer's
   * own `estimated printing time`, which this figure is comparable with.
   */
  estimatedSeconds: number;
  /**
   * Seconds the file's M109/M190 waits take: each heater rises from 25 °C at the profile's rate from the
   * moment its target is set (M104/M140/M109/M190), so heaters warm up in parallel; cooling is not modelled.
   */
  heatUpSeconds: number;
  /** `estimatedSeconds + heatUpSeconds`: the job's expected duration apart from homing and probing. */
  totalSeconds: number;
  layers: number;
  layerIndex: LayerInfo[];
  /** Every extruding move, start and end points included (purge lines too). */
  boundingBox: BoundingBox | null;
  /** Extruding moves outside PrusaSlicer-family `;TYPE:Custom` sections (i.e. without start/end G-code). */
  objectBoundingBox: BoundingBox | null;
  /**
   * Net E per extruder (index = tool number), mm, outside `;TYPE:Custom` sections: PrusaSlicer's
   * `; filament used [mm]` leaves the start G-code's purge line out (measured on the fixtures).
   */
  filamentMm: number[];
  /** Net E per extruder over the whole file, start/end G-code included, mm. */
  filamentTotalMm: number[];
  longestLine: LongestLine;
  slicer: SlicerMetadata;
  thumbnails: Thumbnail[];
  lines: number;
  bytes: number;
}
