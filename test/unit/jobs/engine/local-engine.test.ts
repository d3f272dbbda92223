import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { TemperatureReport } from "../../../../server/gcode/responses/types.ts";
import { JobController } from "../../../../server/jobs/control/job-controller.ts";
import { DEFAULT_JOB_SETTINGS } from "../../../../server/jobs/control/job-ports.ts";
import type { EngineEvents } from "../../../../server/jobs/engine/engine.ts";
import type { EngineRecords } from "../../../../server/jobs/engine/engine-recorder.ts";
import { LocalEngine } from "../../../../server/jobs/engine/local-engine.ts";
import type { RecoveryPoint } from "../../../../server/jobs/recovery/recovery-point.ts";
import { RecoveryStore } from "../../../../server/jobs/recovery/recovery-store.ts";
import type { SimConfig, SimulatedPrinter } from "../../../../server/sim/index.ts";
import { silentLogger } from "../../../../server/util/log.ts";
import { layeredGcode } from "../../../helpers/layered-gcode.ts";
import { simJobRig } from "../../../helpers/sim-job-rig.ts";

/**
 * The LocalEngine on the in-process simulated Marlin: the snapshot and the events it derives from
 * the printer's state machine and the job controller (started, paused by whom, resumed, finished,
 * interrupted), and what it records in the history.
 */

const PATH = "/dev/sim-engine";
let cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

interface Recorded {
  events: { kind: string; message: string }[];
  temperatures: TemperatureReport[];
}

interface Rig {
  engine: LocalEngine;
  sim: SimulatedPrinter;
  recovery: RecoveryStore;
  recorded: Recorded;
  /** Every event the engine emitted, in order, with its arguments. */
  seen: { event: keyof EngineEvents; args: unknown[] }[];
  file: (name: string, text: string) => string;
}

async function rig(
  options: {
    changes?: (config: SimConfig) => void;
    before?: (recovery: RecoveryStore) => Promise<void>;
  } = {},
): Promise<Rig> {
  const { sim, printer, dir, files, file, dispose } = simJobRig(PATH, (config) => {
    config.capabilities.autoreportTemp = true;
    options.changes?.(config);
  });
  const recorded: Recorded = { events: [], temperatures: [] };
  let ids = 0;
  const records: EngineRecords = {
    startJob: () => ++ids,
    finishJob: () => {},
    recordEvent: (event) => void recorded.events.push({ kind: event.kind, message: event.message }),
    recordTemperatures: (report) => void recorded.temperatures.push(report),
  };
  const recovery = new RecoveryStore({ file: path.join(dir, "recovery.json"), log: silentLogger() });
  await options.before?.(recovery);
  const jobs = new JobController({
    printer,
    files,
    records,
    recovery,
    log: silentLogger(),
    settings: { ...DEFAULT_JOB_SETTINGS, cacheDir: path.join(dir, "cache"), park: { x: 5, y: 190 } },
  });
  const engine = new LocalEngine({
    printer,
    jobs,
    recovery,
    records,
    log: silentLogger(),
    virtualPath: PATH,
  });
  const seen: Rig["seen"] = [];
  for (const event of [
    "state",
    "started",
    "paused",
    "resumed",
    "finished",
    "failure",
    "interrupted",
  ] as const) {
    engine.on(event, (...args: unknown[]) => void seen.push({ event, args }));
  }
  await engine.start();
  cleanup.push(async () => {
    await engine.stop();
    await dispose();
  });
  return { engine, sim, recovery, recorded, seen, file };
}

function until(test: () => boolean, what: string): Promise<void> {
  return expect.poll(test, { timeout: 10_000, interval: 5, message: what }).toBe(true);
}

/** The job events among those seen (state changes left out). */
function jobEvents(seen: Rig["seen"]): string[] {
  return seen.filter((e) => e.event !== "state").map((e) => e.event);
}

describe("LocalEngine", () => {
  it("connects to 'virtual' through the simulator's path; snapshot, firmware summary, temperatures recorded", async () => {
    const { engine, recorded } = await rig();
    expect(engine.snapshot()).toMatchObject({ state: "disconnected", firmware: null, job: null });
    const firmware = await engine.connect({ port: "virtual", baudRate: 250000 });
    expect(firmware).toMatchObject({ port: "virtual", baudRate: 250000, profile: { id: "marlin-2" } });
    expect(firmware.name).toMatch(/^Marlin 2/);
    expect(engine.snapshot()).toMatchObject({ state: "idle", firmware: { port: "virtual" } });
    expect(engine.snapshot().stateReason).toMatch(/^connected to Marlin/);
    await until(() => engine.snapshot().temperatures.T0 !== undefined, "a temperature report");
    expect(recorded.temperatures.length).toBeGreaterThan(0);
    expect(recorded.events).toContainEqual({ kind: "connect", message: expect.stringMatching(/marlin-2/) });
    await expect(engine.connect({ port: "virtual" })).rejects.toMatchObject({ code: "INVALID_STATE" });
    await engine.disconnect();
    expect(engine.snapshot()).toMatchObject({ state: "disconnected", firmware: null });
  });

  it("shows interactive commands as sent and the firmware's answers as received", async () => {
    const { engine } = await rig();
    await expect(engine.send("M115")).rejects.toMatchObject({ code: "INVALID_STATE" });
    await engine.connect({ port: "virtual" });
    const lines: [string, string][] = [];
    engine.on("line", (direction, text) => void lines.push([direction, text]));
    await engine.send("M115");
    expect(lines[0]).toEqual(["send", "M115"]);
    expect(lines).toContainEqual(["recv", expect.stringMatching(/^FIRMWARE_NAME:Marlin/)]);
  });

  it("derives started, paused (by the user), resumed and finished; the snapshot follows the job", async () => {
    const { engine, seen, file } = await rig();
    await engine.connect({ port: "virtual" });
    const jobId = await engine.print(file("ring.gcode", layeredGcode({ layers: 20, movesPerLayer: 30 })), {
      user: "ada",
    });
    expect(seen.find((e) => e.event === "started")?.args).toEqual([
      { jobId, file: "ring.gcode", user: "ada" },
    ]);
    expect(engine.snapshot().job).toMatchObject({ file: "ring.gcode", pausedBy: null });
    await until(() => (engine.snapshot().job?.progress?.lines ?? 0) > 50, "progress in the snapshot");
    expect(engine.snapshot().job?.progress).toMatchObject({ file: "ring.gcode", jobId, layers: 20 });

    await engine.pause();
    expect(engine.snapshot()).toMatchObject({ state: "paused", job: { pausedBy: "user" } });
    await expect(engine.pause()).rejects.toMatchObject({ code: "INVALID_STATE" });
    await engine.resume();
    expect(engine.snapshot()).toMatchObject({ state: "printing", job: { pausedBy: null } });
    const outcome = await engine.cancel("enough");
    expect(outcome).toMatchObject({ result: "cancelled", jobId, file: "ring.gcode" });
    expect(engine.snapshot()).toMatchObject({ state: "idle", job: null });
    expect(engine.whenFinished()).toBeNull();
    expect(jobEvents(seen)).toEqual(["started", "paused", "resumed", "finished"]);
    expect(seen.find((e) => e.event === "paused")?.args).toEqual(["user"]);
    const states = seen.filter((e) => e.event === "state").map((e) => (e.args[0] as { to: string }).to);
    expect(states).toEqual([
      "connecting",
      "idle",
      "printing",
      "pausing",
      "paused",
      "resuming",
      "printing",
      "cancelling",
      "idle",
    ]);
  });

  it("says the firmware paused when it parks itself (//action:paused), and follows its resume", async () => {
    const { engine, sim, seen, file } = await rig();
    await engine.connect({ port: "virtual" });
    await engine.print(file("long.gcode", layeredGcode({ layers: 20, movesPerLayer: 30 })));
    await until(() => (engine.snapshot().job?.progress?.lines ?? 0) > 20, "20 lines");
    sim.inject({ action: "paused" });
    await until(() => engine.snapshot().state === "paused", "paused by the firmware");
    expect(seen.find((e) => e.event === "paused")?.args).toEqual(["firmware"]);
    expect(engine.snapshot().job?.pausedBy).toBe("firmware");
    sim.inject({ action: "resumed" });
    await until(() => engine.snapshot().state === "printing", "resumed by the firmware");
    expect(engine.snapshot().job?.pausedBy).toBeNull();
    await engine.cancel();
    expect(jobEvents(seen)).toEqual(["started", "paused", "resumed", "finished"]);
  });

  it("reports an emergency stop as a failure, recorded in the history", async () => {
    const { engine, seen, recorded } = await rig();
    await engine.connect({ port: "virtual" });
    await engine.emergencyStop();
    expect(engine.snapshot().state).toBe("error");
    expect(seen.find((e) => e.event === "failure")?.args).toEqual([
      { code: "FIRMWARE", message: "emergency stop (M112)" },
    ]);
    expect(recorded.events).toContainEqual({ kind: "error", message: "emergency stop (M112)" });
  });

  it("offers the interrupted print found at start; discarding it clears the store", async () => {
    const point = interruptedPoint();
    const { engine, recovery, seen } = await rig({ before: (store) => store.save(point) });
    expect(engine.snapshot().interrupted).toEqual(point);
    expect(seen).toEqual([{ event: "interrupted", args: [point] }]);
    await engine.discardInterrupted();
    expect(engine.snapshot().interrupted).toBeNull();
    expect(seen.at(-1)).toEqual({ event: "interrupted", args: [null] });
    expect(await recovery.load()).toBeNull();
    await expect(engine.resumeInterrupted(3)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("offers a print whose link was lost as interrupted, and reports it failed", async () => {
    const { engine, sim, seen, file } = await rig();
    await engine.connect({ port: "virtual" });
    await engine.print(file("lost.gcode", layeredGcode({ layers: 20, movesPerLayer: 30 })));
    await until(() => (engine.snapshot().job?.progress?.layer ?? 0) >= 3, "layer 3");
    const finished = engine.whenFinished();
    sim.inject({ disconnect: true });
    await expect(finished).resolves.toMatchObject({ result: "failed", file: "lost.gcode" });
    await until(() => engine.snapshot().interrupted !== null, "the interrupted print offered");
    expect(engine.snapshot().interrupted).toMatchObject({ state: "interrupted", file: "lost.gcode" });
    expect(seen.find((e) => e.event === "failure")?.args[0]).toMatchObject({ code: "DISCONNECTED" });
    expect(engine.snapshot()).toMatchObject({ state: "error", job: null });
  });
});

function interruptedPoint(): RecoveryPoint {
  return {
    version: 1,
    state: "interrupted",
    reason: "serial link lost",
    jobId: 7,
    file: "ring.gcode",
    fileHash: "abc",
    byteOffset: 1200,
    linesAcknowledged: 80,
    layer: 3,
    layerCount: 20,
    z: 0.8,
    modal: {} as RecoveryPoint["modal"],
    temperatures: {},
    startedAt: 1,
    updatedAt: 2,
  };
}
