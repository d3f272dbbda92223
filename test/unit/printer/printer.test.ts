import { MockBinding } from "@serialport/binding-mock";
import type { BindingInterface, OpenOptions } from "@serialport/bindings-interface";
import { afterEach, describe, expect, it } from "vitest";
import { commandSource } from "../../../server/gcode/gcode-file.ts";
import { loadFirmwareProfile, loadFirmwareProfiles } from "../../../server/printer/firmware-profile.ts";
import { Printer } from "../../../server/printer/printer.ts";
import {
  createSimulatorBinding,
  defaultSimConfig,
  type SimConfig,
  SimulatedPrinter,
} from "../../../server/sim/index.ts";
import { silentLogger } from "../../../server/util/log.ts";

/**
 * The printer layer against the simulated Marlin through its in-process serialport binding:
 * connection, detection, temperatures, host actions, emergency stop.
 */

const PATH = "/dev/sim-test";
const profiles = loadFirmwareProfiles();
let simulator: SimulatedPrinter | null = null;
let printer: Printer | null = null;

afterEach(async () => {
  await printer?.disconnect();
  await simulator?.stop();
  printer = null;
  simulator = null;
});

function simulated(changes: (config: SimConfig) => void = () => {}): {
  binding: BindingInterface;
  sim: SimulatedPrinter;
} {
  const config = defaultSimConfig(loadFirmwareProfile("marlin-2"));
  config.speed = 0;
  config.record.inMemory = true;
  changes(config);
  const sim = new SimulatedPrinter(config);
  sim.start();
  simulator = sim;
  const { binding, register } = createSimulatorBinding();
  register(PATH, sim);
  return { binding, sim };
}

describe("Printer", () => {
  it("connects, identifies Marlin from M115 and asks for temperature auto-reports", async () => {
    const { binding, sim } = simulated((c) => {
      c.capabilities.autoreportTemp = true;
      c.speed = 10;
    });
    printer = new Printer({ log: silentLogger(), binding, profiles });
    const report = new Promise((resolve) => printer?.once("temperatures", resolve));
    const info = await printer.connect({ path: PATH, baudRate: 250000 });
    expect(info.name).toMatch(/^Marlin 2/);
    expect(info.profile.id).toBe("marlin-2");
    expect(info.capabilities.AUTOREPORT_TEMP).toBe(true);
    expect(printer.state).toBe("idle");
    await expect(report).resolves.toHaveProperty("T0");
    expect(sim.firmware.recording.slice(0, 3)).toEqual(["M110 N0", "M115", "M155 S2"]);
    expect(printer.lastTemperatures.T0?.actual).toBeGreaterThan(0);
    expect(printer.lastTemperatures.B).toBeDefined();
  });

  it("polls M105 when the firmware cannot auto-report", async () => {
    const { binding } = simulated((c) => {
      c.capabilities.autoreportTemp = false;
    });
    printer = new Printer({ log: silentLogger(), binding, profiles });
    const info = await printer.connect({ path: PATH, baudRate: 250000 });
    expect(info.capabilities.AUTOREPORT_TEMP).toBe(false);
    const report = await new Promise((resolve) => printer?.once("temperatures", resolve));
    expect(report).toHaveProperty("T0");
  }, 10_000);

  it("finds the baud rate at which the firmware answers", async () => {
    const { binding: inner } = simulated();
    const tried: number[] = [];
    // Only 115200 reaches the firmware; at any other rate the port opens but nothing answers.
    const binding: BindingInterface = {
      list: () => inner.list(),
      open: async (options: OpenOptions) => {
        tried.push(options.baudRate);
        if (options.baudRate === 115200) return inner.open(options);
        return MockBinding.open(options);
      },
    };
    MockBinding.createPort(PATH, { echo: false });
    printer = new Printer({ log: silentLogger(), binding, profiles });
    const info = await printer.connect({ path: PATH, timing: { communicationMs: 200 } });
    expect(info.profile.id).toBe("marlin-2");
    expect(tried).toEqual([250000, 115200]);
  }, 20_000);

  it("gives a clear error when nothing answers at any baud rate", async () => {
    MockBinding.createPort(PATH, { echo: false });
    printer = new Printer({ log: silentLogger(), binding: MockBinding, profiles });
    await expect(printer.connect({ path: PATH, baudRate: 57600 })).rejects.toMatchObject({
      code: "NO_FIRMWARE",
      message: expect.stringMatching(/no firmware answered on \/dev\/sim-test at 57600 baud/),
    });
    expect(printer.state).toBe("error");
  }, 20_000);

  it("honours a profile chosen by the user over detection", async () => {
    const { binding } = simulated();
    printer = new Printer({ log: silentLogger(), binding, profiles });
    const info = await printer.connect({ path: PATH, baudRate: 250000, profile: "prusa-mk3" });
    expect(info.profile.id).toBe("prusa-mk3");
    await printer.disconnect();
    await expect(
      new Printer({ log: silentLogger(), binding, profiles }).connect({
        path: PATH,
        baudRate: 250000,
        profile: "nope",
      }),
    ).rejects.toMatchObject({
      code: "CONFIG",
      message: expect.stringMatching(/unknown firmware profile 'nope'/),
    });
  });

  it("reports host actions such as //action:pause", async () => {
    const { binding, sim } = simulated();
    printer = new Printer({ log: silentLogger(), binding, profiles });
    await printer.connect({ path: PATH, baudRate: 250000 });
    const action = new Promise<[string, string]>((resolve) =>
      printer?.on("action", (a, p) => resolve([a, p])),
    );
    sim.firmware.inject({ action: "pause" });
    await expect(action).resolves.toEqual(["pause", ""]);
  });

  it("emergency stop halts a firmware with EMERGENCY_PARSER at once and ends the print", async () => {
    const { binding, sim } = simulated((c) => {
      c.speed = 1; // real motion time: moves are still queued behind a full planner when the stop comes
      c.capabilities.emergencyParser = true;
    });
    printer = new Printer({ log: silentLogger(), binding, profiles });
    await printer.connect({ path: PATH, baudRate: 250000 });
    const moves = Array.from({ length: 5000 }, (_, i) => `G1 X${i % 200} Y${(i * 7) % 200} F6000`);
    const print = printer.print(
      commandSource({ commands: moves, refs: Uint32Array.from(moves, (_, i) => i + 1) }),
    );
    const outcome = print.catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 20));
    printer.emergencyStop();
    await expect(outcome).resolves.toMatchObject({ code: "FIRMWARE", message: "emergency stop (M112)" });
    expect(printer.state).toBe("error");
    await new Promise((r) => setTimeout(r, 50));
    expect(sim.firmware.running()).toBe(false);
    expect(sim.firmware.recording.length).toBeLessThan(5000);
  });
});
