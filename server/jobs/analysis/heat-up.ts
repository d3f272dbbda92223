/** Where every heater starts, °C. */
export const AMBIENT_C = 25;

export interface HeatingRates {
  /** °C/s while a hotend heats. */
  hotend: number;
  /** °C/s while the bed heats. */
  bed: number;
}

interface Heater {
  /** Temperature at `since`, °C. */
  temperature: number;
  target: number;
  /** Seconds on the estimate's clock when the target was set. */
  since: number;
  rate: number;
}

/**
 * Time spent in M109/M190 waits: every heater starts at `AMBIENT_C` and rises at a constant rate toward
 * its target from the moment M104/M140/M109/M190 sets it, meanwhile other waits and moves go on (so a
 * hotend set before a bed wait is usually hot by the time M109 asks). Cooling is not modelled: a lowered
 * target keeps the temperature reached, and a wait for cooling (`R` below it) takes no time.
 */
export class HeatUpEstimator {
  /** Total seconds of waits so far. */
  seconds = 0;
  private readonly heaters = new Map<string, Heater>();

  constructor(private readonly rates: HeatingRates) {}

  /** M104/M140 (and the first half of M109/M190): `key` is `"bed"` or `"T<n>"`; `now` in seconds. */
  setTarget(key: string, target: number, now: number): void {
    const heater = this.heater(key);
    heater.temperature = this.temperatureAt(heater, now);
    heater.target = target;
    heater.since = now;
  }

  /** M109/M190: waits until heater `key` reaches its target; returns the seconds waited. */
  wait(key: string, now: number): number {
    const heater = this.heater(key);
    const temperature = this.temperatureAt(heater, now);
    const wait = temperature < heater.target ? (heater.target - temperature) / heater.rate : 0;
    this.seconds += wait;
    return wait;
  }

  private heater(key: string): Heater {
    let heater = this.heaters.get(key);
    if (heater === undefined) {
      const rate = key === "bed" ? this.rates.bed : this.rates.hotend;
      heater = { temperature: AMBIENT_C, target: 0, since: 0, rate };
      this.heaters.set(key, heater);
    }
    return heater;
  }

  private temperatureAt(heater: Heater, now: number): number {
    if (heater.target <= heater.temperature) return heater.temperature;
    return Math.min(heater.target, heater.temperature + heater.rate * Math.max(0, now - heater.since));
  }
}
