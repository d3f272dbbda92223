import type { FirmwareMotion } from "../../printer/firmware-profile-types.ts";

/** How a file is analysed; everything is optional. */
export interface AnalysisOptions {
  /**
   * A firmware profile's `motion` section: the power-up limits the estimate starts from, which of the
   * file's M201/M203/M204/M205 apply, and the heater rates for `heatUpSeconds`. `DEFAULT_MOTION` when absent.
   */
  motion?: FirmwareMotion;
}

/**
 * Marlin 2 `Configuration.h` defaults (firmware-profiles/marlin-2.json) with CLASSIC_JERK, the junction
 * model that slicers' own estimators (PrusaSlicer `GCodeProcessor`, Cura) assume when a file sets no J.
 */
export const DEFAULT_MOTION: FirmwareMotion = {
  maxFeedrate: { x: 300, y: 300, z: 5, e: 25 },
  maxAcceleration: { x: 3000, y: 3000, z: 100, e: 10000 },
  printAcceleration: 3000,
  retractAcceleration: 3000,
  travelAcceleration: 3000,
  jerk: { x: 10, y: 10, z: 0.3, e: 5 },
  junctionDeviationMm: null,
  minExtrudingFeedrate: 0,
  minTravelFeedrate: 0,
  fileLimitCommands: ["M201", "M203", "M204", "M205"],
  heating: { hotendDegPerSecond: 2.5, bedDegPerSecond: 0.4 },
};
