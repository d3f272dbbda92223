import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { scratchDir } from "../../bench/processes.ts";
import { loadConfig } from "../../server/config.ts";
import type { LocalEngine } from "../../server/jobs/engine/local-engine.ts";
import { Daemon, type DaemonParts } from "../../server/main.ts";
import { type SimProcess, startSimProcess } from "../../server/sim/sim-process.ts";
import { silentLogger } from "../../server/util/log.ts";
import { commandsOf, layeredGcode } from "../helpers/layered-gcode.ts";

/**
 * The job layer of the real daemon, through the real serialport bindings over a pseudo-terminal,
 * against the simulated Marlin in its own process. The simulator's recording is the proof.
 */

let sim: SimProcess | null = null;
let daemon: Daemon | null = null;

afterEach(async () => {
  await daemon?.stop();
  await sim?.stop();
  daemon = null;
  sim = null;
});

/** The daemon with its engine in this thread, and that engine's printer and job controller. */
async function start(simArgs: string[]): Promise<DaemonParts & Pick<LocalEngine, "printer" | "jobs">> {
  sim = await startSimProcess(["--speed", "20", "--advanced-ok", "--emergency-parser", ...simArgs]);
  const config = loadConfig({
    dataDir: scratchDir("jobs"),
    engine: "inline",
    printer: { port: sim.link, baudRate: 250000 },
    jobs: { park: { x: 5, y: 190 } },
  });
  daemon = new Daemon({ config, log: silentLogger() });
  await daemon.start();
  const parts = daemon.parts;
  if (parts?.local == null) throw new Error("the daemon did not start with an inline engine");
  return { ...parts, printer: parts.local.printer, jobs: parts.local.jobs };
}

async function until(test: () => boolean, what: string): Promise<void> {
  await expect.poll(test, { timeout: 20_000, interval: 10, message: what }).toBe(true);
}

/** The recording from the print's first line on, without the host's temperature polls. */
function fromPrint(recording: string[], first: string): string[] {
  const lines = recording.filter((c) => c !== "M105");
  return lines.slice(lines.indexOf(first));
}

const PARK = ["M83", "G1 E-2 F2700", "G91", "G1 Z10 F600", "G90", "G1 X5 Y190 F6000"];
const CANCEL = ["M104 S0", "M104 T0 S0", "M104 T1 S0", "M140 S0", "M106 S0", "M83", "G1 E-2 F2700"];

describe("print jobs over a pseudo-terminal", () => {
  it("upload → start → pause (M400, M114, park) → resume (exact next line) → cancel (heaters off)", async () => {
    const { files, jobs, printer, history } = await start([]);
    const text = layeredGcode({ layers: 30, movesPerLayer: 30 });
    const commands = commandsOf(text);
    const stored = await files.save("parts/ring.gcode", Readable.from([text]));
    expect(stored.path).toBe("parts/ring.gcode");
    const jobId = await jobs.print(stored.path, { user: "maker" });
    await until(() => (jobs.progress()?.lines ?? 0) > 150, "150 lines acknowledged");
    await expect(files.delete("parts/ring.gcode")).rejects.toMatchObject({ code: "BUSY" });

    await jobs.pause();
    expect(printer.state).toBe("paused");
    const linesAtPause = jobs.progress()?.lines ?? 0;
    await jobs.resume();
    expect(printer.state).toBe("printing");
    await until(() => (jobs.progress()?.lines ?? 0) > linesAtPause + 150, "150 more lines");
    await expect(jobs.cancel()).resolves.toMatchObject({ result: "cancelled", jobId });
    expect(printer.state).toBe("idle");
    expect(history.getJob(jobId)).toMatchObject({
      result: "cancelled",
      user: "maker",
      file: "parts/ring.gcode",
    });

    await daemon?.stop();
    daemon = null;
    const recording = fromPrint((await sim?.stop()) ?? [], commands[0] as string);
    sim = null;
    const m400 = recording.indexOf("M400");
    expect(recording.slice(0, m400)).toEqual(commands.slice(0, m400));
    expect(recording.slice(m400, m400 + 9)).toEqual(["M400", "M114", ...PARK, "M400"]);
    // Back to the recorded position, unretract, modes restored, then the file's next line and on.
    const back = recording.slice(m400 + 9, m400 + 19);
    expect(back[0]).toMatch(/^G1 X[\d.]+ Y[\d.]+ F6000$/);
    expect(back.slice(2, 4)).toEqual(["M83", "G1 E2 F2700"]);
    const cancelAt = recording.lastIndexOf("M108");
    expect(recording.slice(m400 + 19, cancelAt)).toEqual(commands.slice(m400, m400 + (cancelAt - m400 - 19)));
    expect(recording.slice(cancelAt + 1, cancelAt + 1 + CANCEL.length)).toEqual(CANCEL);
    expect(recording.at(-1)).toBe("M84");
  }, 60_000);

  it("a firmware //action:pause and an M600 in the file pause the job; both resume and the print finishes", async () => {
    const { files, jobs, printer, history } = await start(["--filament-change-ms", "3600000"]);
    const text = layeredGcode({
      layers: 8,
      movesPerLayer: 20,
      extra: { 2: ["M118 A1 action:pause"], 5: ["M600"] },
    });
    const commands = commandsOf(text);
    await files.save("changes.gcode", Readable.from([text]));
    const jobId = await jobs.print("changes.gcode");

    await until(() => printer.state === "paused", "the firmware's pause");
    expect(jobs.pausedBy).toBe("firmware");
    await jobs.resume();
    await until(() => printer.state === "paused" && jobs.progress()?.layer === 6, "the M600 pause");
    expect(jobs.pausedBy).toBe("firmware");
    await jobs.resume();
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done", jobId });
    // 8 layers × 20 moves × 0.21 mm, relative extrusion.
    expect(history.getJob(jobId)?.filamentMm).toEqual([33.6]);

    await daemon?.stop();
    daemon = null;
    const recording = fromPrint((await sim?.stop()) ?? [], commands[0] as string);
    sim = null;
    // The host's own pause after //action:pause: the park sequence right after the M118.
    const m118 = recording.indexOf("M118 A1 action:pause");
    const pauseAt = recording.indexOf("M400", m118);
    expect(recording.slice(pauseAt, pauseAt + 9)).toEqual(["M400", "M114", ...PARK, "M400"]);
    expect(recording.slice(0, pauseAt)).toEqual(commands.slice(0, pauseAt));
    // After the 10-line return, the rest of the file in order; M108 released the M600 wait.
    const rest = recording.slice(pauseAt + 19);
    expect(rest.filter((c) => c !== "M108")).toEqual(commands.slice(pauseAt));
    expect(rest).toContain("M108");
  }, 60_000);
});
