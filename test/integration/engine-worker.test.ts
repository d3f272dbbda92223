import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { scratchDir } from "../../bench/processes.ts";
import { loadConfig } from "../../server/config.ts";
import type { EngineEvents } from "../../server/jobs/engine/engine.ts";
import { WorkerEngine } from "../../server/jobs/engine/worker-engine.ts";
import type { RecoveryPoint } from "../../server/jobs/recovery/recovery-point.ts";
import { Daemon, type DaemonParts } from "../../server/main.ts";
import { type SimProcess, startSimProcess } from "../../server/sim/sim-process.ts";
import { HostError } from "../../server/util/errors.ts";
import { silentLogger } from "../../server/util/log.ts";
import { layeredGcode } from "../helpers/layered-gcode.ts";

/**
 * The daemon with its engine in a worker thread (the default), through the real serialport
 * bindings over a pseudo-terminal, against the simulated Marlin in its own process: commands,
 * events, the mirrored snapshot and errors all cross the thread boundary, and the history the
 * worker writes is read on the main thread.
 */

let sim: SimProcess | null = null;
let daemon: Daemon | null = null;

afterEach(async () => {
  await daemon?.stop();
  await sim?.stop();
  daemon = null;
  sim = null;
});

async function start(): Promise<DaemonParts & { link: string; dataDir: string }> {
  sim = await startSimProcess(["--speed", "20", "--advanced-ok", "--emergency-parser"]);
  const dataDir = scratchDir("engine-worker");
  const config = loadConfig({
    dataDir,
    engine: "worker",
    printer: { port: sim.link, baudRate: 250000 },
    jobs: { park: { x: 5, y: 190 } },
    // The worker logs through its own logger, configured here.
    log: { level: "silent" },
  });
  daemon = new Daemon({ config, log: silentLogger() });
  await daemon.start();
  const parts = daemon.parts;
  if (parts === null) throw new Error("the daemon did not start");
  return { ...parts, link: sim.link, dataDir };
}

function until(test: () => boolean, what: string): Promise<void> {
  return expect.poll(test, { timeout: 20_000, interval: 10, message: what }).toBe(true);
}

describe("the engine in a worker thread", () => {
  it("prints an uploaded file: pause, resume, cancel; snapshot and events mirrored; history read here", async () => {
    const { engine, local, files, history, link } = await start();
    expect(engine).toBeInstanceOf(WorkerEngine);
    expect(local).toBeNull();
    expect(engine.snapshot()).toMatchObject({
      state: "idle",
      firmware: { port: link, baudRate: 250000, profile: { id: "marlin-2" } },
      job: null,
    });
    await until(() => engine.snapshot().temperatures.T0 !== undefined, "temperatures in the snapshot");

    const seen: string[] = [];
    for (const event of ["started", "paused", "resumed", "finished"] as const) {
      engine.on(event, () => void seen.push(event));
    }
    const progress: EngineEvents["progress"][0][] = [];
    engine.on("progress", (p) => void progress.push(p));
    const stored = await files.save(
      "parts/ring.gcode",
      Readable.from([layeredGcode({ layers: 30, movesPerLayer: 30 })]),
    );
    const jobId = await engine.print(stored.path, { user: "maker" });
    const finished = engine.whenFinished();
    expect(finished).not.toBeNull();
    expect(engine.snapshot()).toMatchObject({ state: "printing", job: { file: "parts/ring.gcode" } });
    await until(() => (engine.snapshot().job?.progress?.lines ?? 0) > 150, "150 lines acknowledged");
    await expect(files.delete("parts/ring.gcode")).rejects.toMatchObject({ code: "BUSY" });

    await engine.pause();
    expect(engine.snapshot()).toMatchObject({ state: "paused", job: { pausedBy: "user" } });
    await engine.resume();
    expect(engine.snapshot()).toMatchObject({ state: "printing", job: { pausedBy: null } });
    const outcome = await engine.cancel();
    expect(outcome).toMatchObject({ result: "cancelled", jobId, file: "parts/ring.gcode" });
    await expect(finished).resolves.toEqual(outcome);
    expect(engine.snapshot()).toMatchObject({ state: "idle", job: null });
    expect(seen).toEqual(["started", "paused", "resumed", "finished"]);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ jobId, file: "parts/ring.gcode", layers: 30 });

    // Written by the worker's connection, read through this thread's.
    expect(history.getJob(jobId)).toMatchObject({
      result: "cancelled",
      user: "maker",
      file: "parts/ring.gcode",
    });
    expect(history.eventsForJob(jobId).map((e) => e.message)).toContain("print started: parts/ring.gcode");
  }, 60_000);

  it("re-creates errors with their codes on this side; a print still runs to its end", async () => {
    const { engine, files } = await start();
    const missing = await engine.print("nowhere.gcode").catch((err: unknown) => err);
    expect(missing).toBeInstanceOf(HostError);
    expect(missing).toMatchObject({ code: "NOT_FOUND" });
    await expect(engine.resume()).rejects.toMatchObject({
      code: "INVALID_STATE",
      message: /cannot resume: the printer is idle/,
    });
    await expect(engine.connect({ port: "virtual" })).rejects.toMatchObject({
      code: "INVALID_STATE",
      details: { state: "idle" },
    });
    await expect(engine.resumeInterrupted(0)).rejects.toMatchObject({ code: "NOT_FOUND" });

    await files.save("small.gcode", Readable.from([layeredGcode({ layers: 3, movesPerLayer: 5 })]));
    const jobId = await engine.print("small.gcode");
    await expect(engine.whenFinished()).resolves.toMatchObject({ result: "done", jobId });
    expect(engine.whenFinished()).toBeNull();
  }, 60_000);

  it("stopping the daemon mid-print reports the print's end and keeps it for recovery", async () => {
    const { engine, files, dataDir } = await start();
    await files.save("long.gcode", Readable.from([layeredGcode({ layers: 30, movesPerLayer: 30 })]));
    await engine.print("long.gcode");
    await until(() => (engine.snapshot().job?.progress?.layer ?? 0) >= 2, "layer 2");
    const finished = engine.whenFinished();
    await daemon?.stop();
    daemon = null;
    await expect(finished).resolves.toMatchObject({
      result: "failed",
      reason: "the daemon was stopped during the print",
    });
    await expect(engine.send("M105")).rejects.toMatchObject({ code: "DISCONNECTED" });
    const point = JSON.parse(readFileSync(path.join(dataDir, "recovery.json"), "utf8")) as RecoveryPoint;
    expect(point).toMatchObject({ state: "interrupted", file: "long.gcode" });
  }, 60_000);
});
