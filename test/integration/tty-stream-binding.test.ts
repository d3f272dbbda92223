import { autoDetect } from "@serialport/bindings-cpp";
import { afterEach, describe, expect, it } from "vitest";
import { commandSource, readGcodeCommands } from "../../server/gcode/gcode-file.ts";
import { loadFirmwareProfiles } from "../../server/printer/firmware-profile.ts";
import { Printer } from "../../server/printer/printer.ts";
import { ttyStreamBinding } from "../../server/serial/tty-stream-binding.ts";
import { type SimProcess, startSimProcess } from "../../server/sim/sim-process.ts";
import { silentLogger } from "../../server/util/log.ts";
import { CUBE } from "../helpers/fixtures.ts";

/**
 * The worker-thread serial binding (reads through a tty stream, writes to the binding's
 * descriptor), here on the main thread over a real pseudo-terminal: every line arrives in order,
 * a lost link is a DISCONNECTED error, and the port opens again.
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

function ttyPrinter(): Printer {
  const native = autoDetect();
  return new Printer({ log: silentLogger(), binding: ttyStreamBinding(() => native.list()), profiles });
}

describe("ttyStreamBinding", () => {
  it("streams the cube exactly in window mode, and reopens the port", async () => {
    const file = await readGcodeCommands(CUBE);
    sim = await startSimProcess(["--speed", "0", "--advanced-ok"]);
    printer = ttyPrinter();
    await printer.connect({ path: sim.link, baudRate: 250000 });
    await printer.disconnect();
    await printer.connect({ path: sim.link, baudRate: 250000 });
    expect(printer.window?.flow.mode).toBe("window");
    const result = await printer.print(commandSource(file));
    expect(result.lines).toBe(file.commands.length);
    await printer.disconnect();
    const executed = (await sim.stop()).filter((c) => c !== "M105");
    sim = null;
    const job = executed.slice(executed.indexOf(file.commands[0] as string));
    expect(job.length).toBe(file.commands.length);
    expect(job.findIndex((c, i) => c !== file.commands[i])).toBe(-1);
  }, 60_000);

  it("reports a lost link as DISCONNECTED", async () => {
    const file = await readGcodeCommands(CUBE);
    sim = await startSimProcess(["--speed", "0", "--disconnect-at-line", "3000"]);
    printer = ttyPrinter();
    await printer.connect({ path: sim.link });
    const outcome = await printer.print(commandSource(file)).then(
      () => new Error("the print finished despite the fault"),
      (err: unknown) => err as Error,
    );
    expect(outcome).toMatchObject({ code: "DISCONNECTED" });
    expect(printer.state).toBe("error");
  }, 60_000);
});
