import { afterEach, describe, expect, it } from "vitest";
import type { SimConfig } from "../../../../server/sim/index.ts";
import { type JobControllerRig, jobControllerRig, printed } from "../../../helpers/job-controller-rig.ts";
import { commandsOf, layeredGcode } from "../../../helpers/layered-gcode.ts";

/**
 * Job control on the printer layer against the in-process simulated Marlin: pause parks and
 * resumes with the exact next line, cancel runs the cancel script, the file and the firmware can
 * pause, and every step the state machine forbids is an error.
 */

const PATH = "/dev/sim-jobs";
/** The Marlin profile's park moves with the park position of these tests: retract, lift, park. */
const PARK = ["M83", "G1 E-2 F2700", "G91", "G1 Z10 F600", "G90", "G1 X5 Y190 F6000"];
let cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

type Rig = JobControllerRig;

async function rig(changes: (config: SimConfig) => void = () => {}): Promise<Rig> {
  const r = await jobControllerRig(PATH, {
    sim: (config) => {
      config.capabilities.emergencyParser = true;
      changes(config);
    },
  });
  cleanup.push(r.dispose);
  return r;
}

function waitFor(test: () => boolean, what: string, ms = 10_000): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (test()) resolve();
      else if (Date.now() - started > ms) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 5);
    };
    tick();
  });
}

describe("JobController", () => {
  it("prints a file to the end: every command in order, done in the history, no recovery point left", async () => {
    const { jobs, sim, records, recovery, file } = await rig((c) => {
      c.speed = 0;
    });
    const text = layeredGcode({ layers: 5 });
    const layers: number[] = [];
    jobs.on("layer", (layer) => layers.push(layer));
    await jobs.print(file("cube.gcode", text));
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done", jobId: 1 });
    expect(printed(sim, "M73 P0 R3").slice(0, commandsOf(text).length)).toEqual(commandsOf(text));
    expect(layers).toEqual([1, 2, 3, 4, 5]);
    expect(records.finished).toEqual([[1, "done", undefined]]);
    expect(await recovery.load()).toBeNull();
    expect(jobs.state).toBe("idle");
  });

  it("pauses (M400, M114, park) and resumes at the recorded position with the exact next line", async () => {
    const { jobs, printer, sim, file } = await rig();
    const text = layeredGcode({ layers: 20, movesPerLayer: 30 });
    const commands = commandsOf(text);
    await jobs.print(file("pause.gcode", text));
    await waitFor(() => (jobs.progress()?.lines ?? 0) > 100, "100 lines");
    await jobs.pause();
    expect(printer.state).toBe("paused");
    expect(jobs.pausedBy).toBe("user");
    const atPause = printed(sim, "M73 P0 R3");
    const m400 = atPause.indexOf("M400");
    expect(atPause.slice(0, m400)).toEqual(commands.slice(0, m400));
    // Marlin profile: retract, lift, park; then M400 so "paused" means parked.
    expect(atPause.slice(m400)).toEqual(["M400", "M114", ...PARK, "M400"]);
    await expect(jobs.pause()).rejects.toMatchObject({ code: "INVALID_STATE" });
    await jobs.resume();
    expect(printer.state).toBe("printing");
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done" });

    const all = printed(sim, "M73 P0 R3");
    const resumeAt = m400 + 9;
    const before = commands.slice(0, m400);
    const lastMove = before.findLast((c) => c.startsWith("G1 X")) as string;
    const lastZ = before.findLast((c) => c.startsWith("G1 Z")) as string;
    const [, x, y] = /X([\d.]+) Y([\d.]+)/.exec(lastMove) ?? [];
    // M114 reports two decimals, as Marlin does; the return is to where it said the head was.
    const round = (v: string | undefined) => Number(Number(v).toFixed(2));
    const resume = all.slice(resumeAt, resumeAt + 10);
    const e = resume[4] as string;
    expect(e).toMatch(/^G92 E-?[\d.]+$/);
    expect(resume).toEqual([
      `G1 X${round(x)} Y${round(y)} F6000`,
      `G1 Z${Number(lastZ.split(" ")[1]?.slice(1))} F600`,
      "M83",
      "G1 E2 F2700",
      e,
      "G1 F1800",
      "M106 P0 S128",
      "G90",
      "M83",
      e,
    ]);
    // Then the file goes on exactly where it stopped, to the end.
    expect(all.slice(resumeAt + 10)).toEqual(commands.slice(m400));
  });

  it("cancels: stops feeding at once, runs the cancel script (heaters off) and goes idle", async () => {
    const { jobs, printer, sim, records, recovery, file } = await rig();
    const text = layeredGcode({ layers: 20, movesPerLayer: 30 });
    await jobs.print(file("cancel.gcode", text));
    await waitFor(() => (jobs.progress()?.lines ?? 0) > 50, "50 lines");
    const outcome = await jobs.cancel();
    expect(outcome).toMatchObject({ result: "cancelled", jobId: 1 });
    expect(printer.state).toBe("idle");
    const all = printed(sim, "M73 P0 R3");
    const tail = all.slice(all.lastIndexOf("M108"));
    expect(tail).toEqual([
      "M108",
      "M104 S0",
      "M104 T0 S0",
      "M104 T1 S0",
      "M140 S0",
      "M106 S0",
      ...PARK,
      "M84",
    ]);
    expect(all.length).toBeLessThan(commandsOf(text).length);
    expect(records.finished).toEqual([[1, "cancelled", "cancelled by the user"]]);
    expect(await recovery.load()).toBeNull();
    await expect(jobs.cancel()).rejects.toMatchObject({ code: "INVALID_STATE" });
  });

  it("parks where configure() last said: a settings change applies to the next cancel", async () => {
    const { jobs, sim, file } = await rig();
    jobs.configure({ park: { x: 12, y: 150 } });
    await jobs.print(file("moved.gcode", layeredGcode({ layers: 20, movesPerLayer: 30 })));
    await waitFor(() => (jobs.progress()?.lines ?? 0) > 50, "50 lines");
    await jobs.cancel();
    const all = printed(sim, "M73 P0 R3");
    expect(all.slice(all.lastIndexOf("M106 S0") + 1)).toEqual([
      ...PARK.slice(0, -1),
      "G1 X12 Y150 F6000",
      "M84",
    ]);
  });

  it("refuses steps the state machine does not allow", async () => {
    const { jobs, file } = await rig();
    await expect(jobs.pause()).rejects.toMatchObject({
      code: "INVALID_STATE",
      message: /cannot pause: the printer is idle/,
    });
    await expect(jobs.resume()).rejects.toMatchObject({ code: "INVALID_STATE" });
    await jobs.print(file("twice.gcode", layeredGcode({ layers: 20, movesPerLayer: 30 })));
    await expect(jobs.resume()).rejects.toMatchObject({
      code: "INVALID_STATE",
      message: /cannot resume: the printer is printing/,
    });
    await expect(jobs.print("twice.gcode")).rejects.toMatchObject({ code: "INVALID_STATE" });
    await jobs.cancel();
  });

  it("pauses on M0 in the file without sending it, and resumes with the line after it", async () => {
    const { jobs, printer, sim, file } = await rig();
    const text = layeredGcode({ layers: 4, extra: { 2: ["M0 Insert magnets"] } });
    const commands = commandsOf(text).filter((c) => c !== "M0 Insert magnets");
    await jobs.print(file("m0.gcode", text));
    await waitFor(() => printer.state === "paused", "the file's pause");
    expect(jobs.pausedBy).toBe("file");
    const atPause = printed(sim, "M73 P0 R3");
    const m400 = atPause.indexOf("M400");
    expect(atPause.slice(0, m400)).toEqual(commands.slice(0, m400));
    expect(commands[m400 - 1]).toMatch(/^G1 X/);
    expect(atPause).not.toContain("M0 Insert magnets");
    await jobs.resume();
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done" });
    const all = printed(sim, "M73 P0 R3");
    expect(all.slice(-(commands.length - m400))).toEqual(commands.slice(m400));
  });

  it("follows a firmware //action:pause with the host's own park, and //action:cancel cancels", async () => {
    const { jobs, printer, sim, file } = await rig();
    await jobs.print(file("action.gcode", layeredGcode({ layers: 20, movesPerLayer: 30 })));
    await waitFor(() => (jobs.progress()?.lines ?? 0) > 30, "30 lines");
    sim.inject({ action: "pause" });
    await waitFor(() => printer.state === "paused", "paused");
    expect(jobs.pausedBy).toBe("firmware");
    expect(sim.recording.slice(-9, -7)).toEqual(["M400", "M114"]);
    sim.inject({ action: "cancel" });
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "cancelled" });
    expect(printer.state).toBe("idle");
  });

  it("is paused while an M600 in the file waits for the user; resume releases it and the print goes on", async () => {
    const { jobs, printer, sim, file } = await rig((c) => {
      c.filamentChangeMs = 3_600_000;
      c.capabilities.hostActionCommands = true;
    });
    const text = layeredGcode({ layers: 4, extra: { 1: ["M600"] } });
    const commands = commandsOf(text);
    const waiting = new Promise((resolve) => printer.on("action", (a) => a === "paused" && resolve(a)));
    await jobs.print(file("m600.gcode", text));
    await waitFor(() => printer.state === "paused", "the filament change");

    expect(jobs.pausedBy).toBe("firmware");
    await waiting;
    await jobs.resume();

    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done" });
    expect(printed(sim, "M73 P0 R3").filter((c) => c !== "M108")).toEqual(commands);
  });

  it("writes a recovery point at layer changes; a lost link leaves it 'interrupted' for a resume", async () => {
    const { jobs, sim, recovery, file } = await rig();
    await jobs.print(file("lost.gcode", layeredGcode({ layers: 20, movesPerLayer: 30 })));
    await waitFor(() => (jobs.progress()?.layer ?? 0) >= 3, "layer 3");
    await recovery.flush();
    const during = await recovery.load();
    expect(during).toMatchObject({ state: "printing", file: "lost.gcode", jobId: 1 });
    expect(during?.layer).toBeGreaterThanOrEqual(2);
    sim.inject({ disconnect: true });
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "failed" });
    const after = await recovery.load();
    expect(after).toMatchObject({ state: "interrupted", reason: expect.stringMatching(/link|disconnect/i) });
    expect(after?.byteOffset).toBeGreaterThanOrEqual(during?.byteOffset ?? 0);
    expect(after?.modal.relativeE).toBe(true);
  });
});
