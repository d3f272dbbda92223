import type { BoundingBox } from "./analysis-types.ts";

/** The box around every point added so far, kept in scalars (no object per point). */
export class BoundsTracker {
  private empty = true;
  private minX = 0;
  private minY = 0;
  private minZ = 0;
  private maxX = 0;
  private maxY = 0;
  private maxZ = 0;

  add(x: number, y: number, z: number): void {
    if (this.empty) {
      this.empty = false;
      this.minX = this.maxX = x;
      this.minY = this.maxY = y;
      this.minZ = this.maxZ = z;
      return;
    }
    if (x < this.minX) this.minX = x;
    else if (x > this.maxX) this.maxX = x;
    if (y < this.minY) this.minY = y;
    else if (y > this.maxY) this.maxY = y;
    if (z < this.minZ) this.minZ = z;
    else if (z > this.maxZ) this.maxZ = z;
  }

  /** null when no point was added. */
  box(): BoundingBox | null {
    if (this.empty) return null;
    const { minX, minY, minZ, maxX, maxY, maxZ } = this;
    return { minX, minY, minZ, maxX, maxY, maxZ };
  }
}
