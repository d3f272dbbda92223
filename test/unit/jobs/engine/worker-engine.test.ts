import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import type { JobFiles } from "../../../../server/jobs/control/job-ports.ts";
import type { EngineEvents } from "../../../../server/jobs/engine/engine.ts";
import { WorkerEngine } from "../../../../server/jobs/engine/worker-engine.ts";
import { HostError } from "../../../../server/util/errors.ts";
import { silentLogger } from "../../../../server/util/log.ts";

/**
 * The worker boundary on a scripted engine (fake-engine-worker.ts): requests both ways, errors
 * re-created with their code, the mirrored snapshot, and a worker that dies never leaves a caller
 * waiting.
 */

const ENTRY = fileURLToPath(new URL("./fake-engine-worker.ts", import.meta.url));

const files: JobFiles = {
  absolutePath: async (file) => `/files/${file}`,
  describe: async (file) => {
    if (file !== "there.gcode") throw new HostError("NOT_FOUND", `no file ${file}`, { file });
    return { hash: "h", analysis: {} as Awaited<ReturnType<JobFiles["describe"]>>["analysis"] };
  },
};

let engine: WorkerEngine | null = null;

afterEach(async () => {
  await engine?.stop();
  engine = null;
});

async function started(mode = "ok"): Promise<WorkerEngine> {
  engine = new WorkerEngine({ entry: ENTRY, workerData: { mode }, files, log: silentLogger() });
  await engine.start();
  return engine;
}

describe("WorkerEngine", () => {
  it("mirrors the worker's snapshot and events; the worker asks this thread for files", async () => {
    const worker = await started();
    expect(worker.snapshot()).toMatchObject({ state: "idle", stateReason: "fake", job: null });
    expect(worker.whenFinished()).toBeNull();
    const startedEvents: EngineEvents["started"][0][] = [];
    worker.on("started", (job) => void startedEvents.push(job));
    await expect(worker.print("there.gcode")).resolves.toBe(1);
    expect(startedEvents).toEqual([{ jobId: 1, file: "there.gcode", user: null }]);
    expect(worker.snapshot()).toMatchObject({ state: "printing", job: { file: "there.gcode" } });
    expect(worker.whenFinished()).toBeInstanceOf(Promise);
  });

  it("re-creates errors with their code, message and details, in both directions", async () => {
    const worker = await started();
    const refused = await worker.print("missing.gcode").catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HostError);
    expect(refused).toMatchObject({
      code: "NOT_FOUND",
      message: "no file missing.gcode",
      details: { file: "missing.gcode" },
    });
    await expect(worker.pause()).rejects.toMatchObject({
      code: "INVALID_STATE",
      message: "the fake cannot pause",
    });
  });

  it("a worker that fails to start rejects start() with its error", async () => {
    const failing = new WorkerEngine({
      entry: ENTRY,
      workerData: { mode: "fail" },
      files,
      log: silentLogger(),
    });
    await expect(failing.start()).rejects.toMatchObject({ code: "DATABASE", details: { path: "/nowhere" } });
    await expect(failing.send("M105")).rejects.toMatchObject({ code: "DISCONNECTED" });
  });

  it("a crashed worker rejects pending calls, goes to error with a failure, fails the print, refuses more", async () => {
    const worker = await started();
    await worker.print("there.gcode");
    const finished = worker.whenFinished();
    const failures: EngineEvents["failure"][0][] = [];
    worker.on("failure", (err) => void failures.push(err));
    const hanging = expect(worker.send("hang")).rejects.toMatchObject({
      code: "DISCONNECTED",
      message: /engine worker stopped/,
    });
    // Its own answer and the crash race each other across the boundary.
    await worker.send("crash").catch(() => {});
    await hanging;
    await expect(finished).resolves.toMatchObject({ result: "failed", file: "there.gcode" });
    expect(worker.snapshot()).toMatchObject({ state: "error", job: null });
    expect(failures).toEqual([{ code: "DISCONNECTED", message: expect.stringMatching(/boom/) }]);
    await expect(worker.resume()).rejects.toMatchObject({ code: "DISCONNECTED" });
    await worker.stop();
  });
});
