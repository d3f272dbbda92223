import { describe, expect, it } from "vitest";
import { ManualScheduler } from "../../../server/sim/scheduler.ts";
import { SimClock } from "../../../server/sim/sim-clock.ts";
import { BED, Heater, HOTEND } from "../../../server/sim/thermal-model.ts";
import { harness } from "./sim-harness.ts";

const WAIT_LINE = /^ T:\d+\.\d\d \/\d+\.\d\d B:\d+\.\d\d \/\d+\.\d\d @:\d+ B@:\d+ W:(\?|\d+)$/;

describe("heater model", () => {
  it("heats the hotend from 25 to 215 °C in about 90 s and holds it", () => {
    const scheduler = new ManualScheduler();
    const heater = new Heater({ ...HOTEND, ambientC: 25 }, new SimClock(scheduler, 1));
    heater.setTarget(215);
    const reached = heater.reachTime(0.01);
    expect(reached / 1000).toBeGreaterThan(80);
    expect(reached / 1000).toBeLessThan(100);
    scheduler.advance(45_000);
    expect(heater.temperature()).toBeGreaterThan(100);
    expect(heater.temperature()).toBeLessThan(215);
    expect(heater.power()).toBe(127);
    scheduler.advance(60_000);
    expect(heater.temperature()).toBe(215);
    expect(heater.power()).toBeGreaterThan(0);
    expect(heater.power()).toBeLessThan(127);
  });

  it("heats the bed to 60 °C in about 70 s", () => {
    const heater = new Heater({ ...BED, ambientC: 25 }, new SimClock(new ManualScheduler(), 1));
    heater.setTarget(60);
    expect(heater.reachTime(0.01) / 1000).toBeCloseTo(70, -1);
  });

  it("cools toward ambient when switched off", () => {
    const scheduler = new ManualScheduler();
    const heater = new Heater(HOTEND, new SimClock(scheduler, 1));
    heater.setTarget(200);
    scheduler.advance(200_000);
    heater.setTarget(0);
    scheduler.advance(60_000);
    const t = heater.temperature();
    expect(t).toBeLessThan(200);
    expect(t).toBeGreaterThan(HOTEND.ambientC);
    expect(heater.power()).toBe(0);
  });

  it("reaches any target at once in zero time", () => {
    const heater = new Heater(HOTEND, new SimClock(new ManualScheduler(), 0));
    heater.setTarget(215);
    expect(heater.temperature()).toBe(215);
  });
});

describe("M109 / M190", () => {
  it("M109 blocks with a wait line every second, then acknowledges", () => {
    const h = harness((c) => {
      c.speed = 1;
      c.tempResidencySeconds = 3;
    });
    h.line(1, "M109 S215");
    const first = h.take();
    expect(first).toHaveLength(1);
    expect(first[0]).toMatch(WAIT_LINE);
    expect(first[0]).toMatch(/ T:21\.30 \/215\.00 .* @:127 B@:0 W:\?$/);
    h.advance(80_000);
    const heating = h.take();
    expect(heating).toHaveLength(80);
    expect(heating.every((l) => WAIT_LINE.test(l))).toBe(true);
    h.advance(20_000);
    const rest = h.take();
    expect(rest.at(-1)).toBe("ok");
    const residency = rest.filter((l) => / W:\d+$/.test(l));
    expect(residency.map((l) => l.replace(/.* W:/, ""))).toEqual(["2", "1", "0"]);
    h.line(2, "M105");
    expect(h.take()[0]).toMatch(/^ok T:215\.00 \/215\.00 B:21\.00 \/0\.00 @:\d+ B@:0$/);
  });

  it("M190 waits for the bed, M140 does not", () => {
    const h = harness((c) => {
      c.speed = 10;
      c.tempResidencySeconds = 0;
    });
    h.send("M140 S60\n");
    expect(h.take()).toEqual(["ok"]);
    h.send("M190 S60\n");
    h.advance(8000);
    const lines = h.take();
    expect(lines.at(-1)).toBe("ok");
    expect(lines.length).toBeGreaterThan(40);
  });

  it("M109 S does not wait for cooling; M109 R does", () => {
    const h = harness((c) => {
      c.speed = 100;
      c.tempResidencySeconds = 0;
    });
    h.send("M109 S200\n");
    h.advance(2000);
    h.take();
    h.send("M109 S150\n");
    expect(h.take()).toEqual(["ok"]);
    h.send("M109 R100\n");
    expect(h.take().at(-1)).not.toBe("ok");
    h.advance(10_000);
    expect(h.take().at(-1)).toBe("ok");
  });

  it("returns at once in zero time with the target reached", () => {
    const h = harness();
    h.send("M190 S60\nM109 S215\nM105\n");
    expect(h.take()).toEqual(["ok", "ok", "ok T:215.00 /215.00 B:60.00 /60.00 @:88 B@:50"]);
  });
});
