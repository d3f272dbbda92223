/**
 * Time left, from three witnesses: the analysis (a motion model of this file), the slicer's own
 * `M73 R` countdown when the file carries one, and the time this printer has actually taken so
 * far. Early on the models speak; as the print goes on, the measured pace corrects them (a printer
 * that runs 8 % slower than the model keeps doing so), and the band narrows.
 */

export interface EtaInputs {
  /** The analysis estimate for the whole file (motion), seconds. */
  estimatedTotalSeconds: number;
  /** The analysis estimate for everything up to the last acknowledged line, seconds. */
  estimatedDoneSeconds: number;
  /** Printing time so far (pauses and heat-up excluded), seconds. */
  elapsedSeconds: number;
  /** The file's last acknowledged `M73 R<minutes>`, in seconds; null when the file has none. */
  slicerRemainingSeconds: number | null;
  /** Heat-up still to come before the next move (a heat wait in flight), seconds. */
  heatUpSeconds?: number;
}

export interface Eta {
  remainingSeconds: number;
  /** Half-width of the band: "14 min ± 2". */
  plusMinusSeconds: number;
  /** The measured pace over the model's (1.08: this printer runs 8 % slower); null until measurable. */
  paceFactor: number | null;
}

/** Below this much modelled printing time the measured pace is noise (heat-up, homing, purge). */
const MIN_MODELLED_SECONDS = 60;
/** The band never claims better than this fraction of the time left, nor than 30 s. */
const FLOOR_FRACTION = 0.03;
const FLOOR_SECONDS = 30;
/** Before any measurement, a model is trusted to within this fraction (field error of slicer estimates). */
const UNMEASURED_FRACTION = 0.15;

export function estimateRemaining(inputs: EtaInputs): Eta {
  const total = Math.max(0, inputs.estimatedTotalSeconds);
  const done = Math.min(total, Math.max(0, inputs.estimatedDoneSeconds));
  const modelRemaining = total - done;
  const slicer = inputs.slicerRemainingSeconds;
  // The two models each predict the rest; their mean is the base, their disagreement widens the band.
  const base = slicer === null ? modelRemaining : (modelRemaining + slicer) / 2;
  const disagreement = slicer === null ? 0 : Math.abs(modelRemaining - slicer) / 2;

  let pace: number | null = null;
  let weight = 0;
  if (done >= MIN_MODELLED_SECONDS && inputs.elapsedSeconds > 0) {
    pace = inputs.elapsedSeconds / done;
    // Trust in the measured pace grows with the share of the print it has seen: full at a quarter.
    weight = Math.min(1, done / Math.max(MIN_MODELLED_SECONDS, total * 0.25));
  }
  const factor = pace === null ? 1 : 1 + weight * (pace - 1);
  const remaining = base * factor + (inputs.heatUpSeconds ?? 0);

  // Unmeasured, the model's own field error; measured, how far the pace could still drift.
  const modelDoubt = UNMEASURED_FRACTION * (1 - weight);
  const paceDoubt = pace === null ? 0 : Math.min(0.15, Math.abs(pace - 1) * 0.25) * weight;
  const band = Math.max(
    FLOOR_SECONDS,
    remaining * Math.max(FLOOR_FRACTION, modelDoubt + paceDoubt) + disagreement * factor,
  );
  return {
    remainingSeconds: Math.round(remaining),
    plusMinusSeconds: Math.round(Math.min(band, Math.max(remaining, FLOOR_SECONDS))),
    paceFactor: pace === null ? null : Number(pace.toFixed(3)),
  };
}
