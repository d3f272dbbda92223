import type { SimClock } from "./sim-clock.ts";

/**
 * First-order heaters. At full power a heater approaches `fullPowerC` with time constant
 * `heatTauS` and stops rising at its target (the PID then holds it there, no overshoot); switched
 * off or set lower it decays toward ambient with `coolTauS`. Everything is closed-form in simulated
 * time, so a wait can be scheduled for the exact moment a temperature is reached.
 */
export interface HeaterSpec {
  ambientC: number;
  fullPowerC: number;
  /** Highest target accepted (Marlin clamps to `HEATER_0_MAXTEMP - HOTEND_OVERSHOOT`). */
  maxTargetC: number;
  heatTauS: number;
  coolTauS: number;
}

/** 21.3 °C → 215 °C in about 90 s. */
export const HOTEND: HeaterSpec = {
  ambientC: 21.3,
  fullPowerC: 300,
  maxTargetC: 260,
  heatTauS: 77,
  coolTauS: 180,
};
/** 21 °C → 60 °C in about 70 s. */
export const BED: HeaterSpec = {
  ambientC: 21,
  fullPowerC: 120,
  maxTargetC: 110,
  heatTauS: 152,
  coolTauS: 900,
};
export const CHAMBER: HeaterSpec = {
  ambientC: 22,
  fullPowerC: 70,
  maxTargetC: 60,
  heatTauS: 600,
  coolTauS: 1200,
};

/** Marlin's `soft_pwm_amount` scale, as printed in `@:` and `B@:`. */
const FULL_POWER = 127;

export class Heater {
  readonly spec: HeaterSpec;
  readonly #clock: SimClock;
  #t0 = 0;
  #temp0: number;
  #target = 0;

  constructor(spec: HeaterSpec, clock: SimClock) {
    this.spec = spec;
    this.#clock = clock;
    this.#temp0 = spec.ambientC;
  }

  get target(): number {
    return this.#target;
  }

  setTarget(celsius: number): void {
    const now = this.#clock.now();
    const target = Math.min(Math.max(0, celsius), this.spec.maxTargetC);
    this.#temp0 = this.#clock.zeroTime ? Math.max(target, this.spec.ambientC) : this.temperature();
    this.#t0 = now;
    this.#target = target;
  }

  /** Back to ambient, target 0 (power-up state). */
  reset(): void {
    this.#target = 0;
    this.#temp0 = this.spec.ambientC;
    this.#t0 = this.#clock.now();
  }

  temperature(): number {
    const dt = (this.#clock.now() - this.#t0) / 1000;
    const { ambientC, fullPowerC, heatTauS, coolTauS } = this.spec;
    if (this.#heating()) {
      const rising = fullPowerC - (fullPowerC - this.#temp0) * Math.exp(-dt / heatTauS);
      return Math.min(rising, this.#target);
    }
    const floor = Math.max(this.#target, ambientC);
    const falling = ambientC + (this.#temp0 - ambientC) * Math.exp(-dt / coolTauS);
    return Math.max(falling, floor);
  }

  /** `@:` value: full power while rising, the holding duty at the target, 0 when off. */
  power(): number {
    if (this.#target <= this.spec.ambientC) return 0;
    if (this.temperature() < this.#target) return FULL_POWER;
    const { ambientC, fullPowerC } = this.spec;
    return Math.round((FULL_POWER * (this.#target - ambientC)) / (fullPowerC - ambientC));
  }

  /**
   * Simulated time at which the temperature is within `windowC` of the target, coming from its
   * current side; `Infinity` when it never gets there (cooling below ambient).
   */
  reachTime(windowC: number): number {
    const now = this.#clock.now();
    const temp = this.temperature();
    if (Math.abs(temp - this.#target) <= windowC) return now;
    const { ambientC, fullPowerC, heatTauS, coolTauS } = this.spec;
    if (temp < this.#target) {
      const threshold = this.#target - windowC;
      return now + heatTauS * 1000 * Math.log((fullPowerC - temp) / (fullPowerC - threshold));
    }
    const threshold = this.#target + windowC;
    if (threshold <= ambientC) return Number.POSITIVE_INFINITY;
    return now + coolTauS * 1000 * Math.log((temp - ambientC) / (threshold - ambientC));
  }

  #heating(): boolean {
    return this.#target > this.#temp0;
  }
}

/** The machine's heaters: one hotend (EXTRUDER_COUNT 1), the bed, and a chamber when configured. */
export class ThermalModel {
  readonly hotend: Heater;
  readonly bed: Heater;
  readonly chamber: Heater | null;

  constructor(clock: SimClock, withChamber: boolean) {
    this.hotend = new Heater(HOTEND, clock);
    this.bed = new Heater(BED, clock);
    this.chamber = withChamber ? new Heater(CHAMBER, clock) : null;
  }

  allOff(): void {
    this.hotend.reset();
    this.bed.reset();
    this.chamber?.reset();
  }

  /** Heaters off but still hot: they cool from where they are (kill(), thermal runaway). */
  disableAll(): void {
    this.hotend.setTarget(0);
    this.bed.setTarget(0);
    this.chamber?.setTarget(0);
  }
}
