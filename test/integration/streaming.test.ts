import { basename } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commandSource, readGcodeCommands } from "../../server/gcode/gcode-file.ts";
import { loadFirmwareProfiles } from "../../server/printer/firmware-profile.ts";
import { Printer } from "../../server/printer/printer.ts";
import { systemBinding } from "../../server/serial/system-binding.ts";
import { type SimProcess, startSimProcess } from "../../server/sim/sim-process.ts";
import { silentLogger } from "../../server/util/log.ts";
import { gcodeFixtures } from "../helpers/fixtures.ts";

/**
 * Every fixture streamed through the real serialport bindings over a real pseudo-terminal to the
 * simulated printer, with 1 % of lines corrupted and 0.5 % of oks dropped: what the firmware
 * executed must be the file's command sequence exactly (after the connect handshake, and without the
 * M105 polls and syncs the host slots in — the fixtures contain none, which the test checks).
 */

const profiles = loadFirmwareProfiles();
let sim: SimProcess | null = null;
let printer: Printer | null = null;

afterEach(async () => {
  await printer?.disconnect();
  await sim?.stop();
  printer = null;
  sim = null;
});

const MODES = [
  { name: "ping-pong", flow: 1 as const, simArgs: [] as string[] },
  { name: "window", flow: "auto" as const, simArgs: ["--advanced-ok"] },
];

describe.each(MODES)("streaming in $name mode with corrupted lines and dropped oks", ({ flow, simArgs }) => {
  it.each(gcodeFixtures().map((f) => [basename(f), f]))(
    "%s arrives exactly",
    async (_name, path) => {
      const file = await readGcodeCommands(path);
      expect(file.commands.filter((c) => /^M105\b/.test(c))).toEqual([]);
      sim = await startSimProcess([
        "--speed",
        "0",
        "--corrupt",
        "0.01",
        "--drop-ok",
        "0.005",
        "--seed",
        "7",
        ...simArgs,
      ]);
      printer = new Printer({ log: silentLogger(), binding: systemBinding(), profiles });
      const info = await printer.connect({ path: sim.link, flow });
      expect(printer.window?.flow.mode).toBe(flow === 1 ? "ping-pong" : "window");
      const result = await printer.print(commandSource(file));
      expect(result.lines).toBe(file.commands.length);
      expect(result.resends).toBeGreaterThan(0);
      // An ok means "queued", not "executed": M400 returns once every queued command has run, so the
      // recording is complete before the simulator stops.
      await printer.send("M400");
      await printer.disconnect();
      const executed = (await sim.stop()).filter((c) => c !== "M105");
      expect(executed.pop()).toBe("M400");
      const handshake = ["M110 N0", "M115", ...(info.capabilities.AUTOREPORT_TEMP ? ["M155 S2"] : [])];
      expect(executed.slice(0, handshake.length)).toEqual(handshake);
      const job = executed.slice(handshake.length);
      expect(job.length).toBe(file.commands.length);
      // Compare without building a 400k-line diff on failure: find the first difference.
      const firstDifference = job.findIndex((c, i) => c !== file.commands[i]);
      expect(
        firstDifference === -1
          ? null
          : { index: firstDifference, got: job[firstDifference], want: file.commands[firstDifference] },
      ).toBeNull();
    },
    900_000,
  );
});

/** Streams the cube into a simulator started with `faultArgs`; resolves with what print() threw. */
async function printUntilFault(faultArgs: string[]): Promise<Error> {
  const file = await readGcodeCommands(gcodeFixtures()[0] as string);
  sim = await startSimProcess(["--speed", "0", ...faultArgs]);
  printer = new Printer({ log: silentLogger(), binding: systemBinding(), profiles });
  await printer.connect({ path: sim.link });
  const outcome = await printer.print(commandSource(file)).then(
    () => new Error("the print finished despite the fault"),
    (err: unknown) => err as Error,
  );
  expect(printer.state).toBe("error");
  return outcome;
}

describe("faults mid-print", () => {
  it("a disconnect gives a clear error naming the last acknowledged line", async () => {
    const outcome = await printUntilFault(["--disconnect-at-line", "3000"]);
    expect(outcome).toMatchObject({ code: "DISCONNECTED" });
    expect(outcome.message).toMatch(/serial link to .* lost.*; last acknowledged: file line \d+, N\d+ '/);
  }, 60_000);

  it("a firmware reset is detected and stops the print", async () => {
    const outcome = await printUntilFault(["--reset-at-line", "2000"]);
    expect(outcome).toMatchObject({ code: "FIRMWARE" });
    expect(outcome.message).toMatch(/restarted.*the print is stopped; last acknowledged: file line \d+/);
    const executed = await (sim as SimProcess).stop();
    // After the restart the host renumbers and turns the heaters off; nothing more of the file runs.
    const afterReset = executed.slice(executed.lastIndexOf("M110 N0"));
    expect(afterReset).toContain("M104 S0");
    expect(afterReset).toContain("M140 S0");
    expect(afterReset.filter((c) => c.startsWith("G1 "))).toEqual([]);
  }, 60_000);

  it("a thermal runaway halt stops the print with the firmware's message", async () => {
    const outcome = await printUntilFault(["--thermal-runaway-at-line", "1500"]);
    expect(outcome).toMatchObject({ code: "FIRMWARE" });
    expect(outcome.message).toMatch(/Thermal Runaway|halted/);
  }, 60_000);
});
