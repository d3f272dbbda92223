import type { LayerInfo } from "./analysis-types.ts";

const Z_EPS = 1e-4;

/**
 * Layer starts, from the first source the file offers:
 * PrusaSlicer-family `;LAYER_CHANGE` + `;Z:` + `;HEIGHT:`, Cura `;LAYER:<n>`, else a Z rise before an extruding move.
 */
export class LayerTracker {
  /** Modelled seconds so far, read when a layer starts. */
  private readonly clock: () => number;
  private readonly marked: LayerInfo[] = [];
  private readonly inferred: LayerInfo[] = [];
  /** A marked layer whose Z is not known yet (Cura writes none; PrusaSlicer writes `;Z:` next). */
  private pendingZ: LayerInfo | null = null;
  private pendingHeight = false;
  private lastInferredZ = Number.NEGATIVE_INFINITY;
  private lastZMoveOffset = 0;

  constructor(clock: () => number = () => 0) {
    this.clock = clock;
  }

  /** Returns true when the comment was a layer marker. */
  comment(comment: string, byteOffset: number): boolean {
    if (comment.startsWith(";LAYER_CHANGE")) {
      this.startMarked(byteOffset);
      this.pendingHeight = true;
      return true;
    }
    if (comment.startsWith(";LAYER:")) {
      this.startMarked(byteOffset);
      return true;
    }
    if (comment.startsWith(";Z:") && this.pendingZ) {
      const z = Number.parseFloat(comment.slice(3));
      if (Number.isFinite(z)) this.setZ(this.pendingZ, z);
      this.pendingZ = null;
      return true;
    }
    if (comment.startsWith(";HEIGHT:") && this.pendingHeight) {
      const layer = this.marked[this.marked.length - 1];
      const h = Number.parseFloat(comment.slice(8));
      if (layer && Number.isFinite(h)) layer.height = h;
      this.pendingHeight = false;
      return true;
    }
    return false;
  }

  /** A move that changed Z (travel or not), at `byteOffset`. */
  zMove(byteOffset: number): void {
    this.lastZMoveOffset = byteOffset;
  }

  /** An extruding move at height `z`. */
  extrusion(z: number): void {
    if (this.pendingZ) {
      this.setZ(this.pendingZ, z);
      this.pendingZ = null;
    }
    if (z > this.lastInferredZ + Z_EPS) {
      const prev = this.inferred[this.inferred.length - 1];
      this.inferred.push({
        index: this.inferred.length,
        z,
        height: prev ? z - prev.z : z,
        byteOffset: this.lastZMoveOffset,
        startSeconds: this.clock(),
      });
      this.lastInferredZ = z;
    }
  }

  get layers(): LayerInfo[] {
    return this.marked.length > 0 ? this.marked : this.inferred;
  }

  private startMarked(byteOffset: number): void {
    const layer: LayerInfo = {
      index: this.marked.length,
      z: Number.NaN,
      height: Number.NaN,
      byteOffset,
      startSeconds: this.clock(),
    };
    this.marked.push(layer);
    this.pendingZ = layer;
    this.pendingHeight = false;
  }

  private setZ(layer: LayerInfo, z: number): void {
    layer.z = z;
    if (Number.isNaN(layer.height)) {
      const prev = this.marked[layer.index - 1];
      layer.height = prev && Number.isFinite(prev.z) ? z - prev.z : z;
    }
  }
}
