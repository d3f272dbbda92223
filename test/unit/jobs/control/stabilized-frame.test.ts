import { afterEach, describe, expect, it } from "vitest";
import { type CaptureRequest, DEFAULT_STABILIZE } from "../../../../server/jobs/control/job-ports.ts";
import { initialModalState } from "../../../../server/jobs/control/modal-state.ts";
import { parkForFrame, returnFromFrame } from "../../../../server/jobs/control/stabilize-script.ts";
import { type JobControllerRig, jobControllerRig, printed } from "../../../helpers/job-controller-rig.ts";
import { commandsOf, layeredGcode } from "../../../helpers/layered-gcode.ts";
import { until } from "../../../helpers/until.ts";

/**
 * Stabilized time-lapse frames on the job controller against the in-process simulated Marlin: at each
 * layer change the head parks, the camera is asked for its frame while the stream waits, and the head
 * returns; the file's own commands reach the firmware unchanged and in order.
 */

const PATH = "/dev/sim-stabilize";
const STABILIZE = { ...DEFAULT_STABILIZE, park: { x: 5, y: 190 } };
let cleanup: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

interface Rig extends JobControllerRig {
  frames: CaptureRequest[];
  /** What the camera does with each request (default: resolve at once). */
  camera: { take: (request: CaptureRequest) => Promise<void> };
}

async function rig(speed = 0): Promise<Rig> {
  const frames: CaptureRequest[] = [];
  const camera: Rig["camera"] = { take: async () => {} };
  const r = await jobControllerRig(PATH, {
    sim: (config) => {
      config.speed = speed;
    },
    camera: {
      capture: (request) => {
        frames.push(request);
        return camera.take(request);
      },
    },
    settings: { stabilize: STABILIZE },
  });
  cleanup.push(r.dispose);
  return { ...r, frames, camera };
}

/**
 * Splits the recording into the file's commands and the inserted frame sequences: each starts with
 * M400, M114 and the park lines, and ends with the return lines; returns both.
 */
function separate(recording: string[]): { file: string[]; blocks: string[][] } {
  const file: string[] = [];
  const blocks: string[][] = [];
  for (let i = 0; i < recording.length; i++) {
    if (recording[i] === "M400" && recording[i + 1] === "M114") {
      const park = parkForFrame(STABILIZE, { x: 0, y: 0, z: 0, e: 0 }).length;
      const back = returnFromFrame(STABILIZE, { x: 0, y: 0, z: 0, e: 0 }, initialModalState()).length;
      const length = 2 + park + back;
      blocks.push(recording.slice(i, i + length));
      i += length - 1;
    } else file.push(recording[i] as string);
  }
  return { file, blocks };
}

describe("stabilized time-lapse frames", () => {
  it("parks, takes a frame and returns at every layer change; the file's commands are sent unchanged", async () => {
    const { jobs, sim, frames, file } = await rig();
    const text = layeredGcode({ layers: 6, movesPerLayer: 12 });
    await jobs.print(file("lapse.gcode", text));
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done" });
    const { file: sent, blocks } = separate(printed(sim, "M73 P0 R3"));
    expect(sent.slice(0, commandsOf(text).length)).toEqual(commandsOf(text));
    expect(frames.map((f) => f.layer)).toEqual([1, 2, 3, 4, 5]);
    expect(blocks).toHaveLength(5);
    for (const [index, block] of blocks.entries()) {
      // The head was at the previous layer's last point: (120, 100)… of a circle of radius 20.
      const z = Number(((index + 1) * 0.2).toFixed(1));
      const lastMove = layeredGcode({ layers: 1, movesPerLayer: 12 })
        .split("\n")
        .filter((l) => l.startsWith("G1 X"))
        .at(-1) as string;
      const [, x, y] = /X([\d.]+) Y([\d.]+)/.exec(lastMove) as RegExpExecArray;
      const position = { x: Number(x), y: Number(y), z, e: 0 };
      expect(block).toEqual([
        "M400",
        "M114",
        ...parkForFrame(STABILIZE, position),
        ...returnFromFrame(STABILIZE, position, { ...initialModalState(), relativeE: true, feedrate: 1800 }),
      ]);
    }
    expect(frames.map((f) => f.z)).toEqual([0.2, 0.4, 0.6, 0.8, 1]);
  });

  it("waits for the frame with the stream held, and goes on without it after the timeout", async () => {
    const { jobs, sim, frames, file, camera, printer } = await rig();
    let release: () => void = () => {};
    camera.take = () => new Promise<void>((resolve) => (release = resolve));
    jobs.configure({ stabilize: { ...STABILIZE, captureTimeoutMs: 60_000 } });
    const text = layeredGcode({ layers: 3, movesPerLayer: 8 });
    await jobs.print(file("held.gcode", text));
    await until(
      async () => frames.length,
      (n) => n === 1,
      "the first frame request",
    );
    const before = sim.recording.length;
    await new Promise((r) => setTimeout(r, 200));
    // Nothing of the file moves while the frame is being taken (temperature polls may).
    expect(sim.recording.slice(before).filter((c) => c !== "M105")).toEqual([]);
    await expect(printer.state).toBe("printing");
    release();
    camera.take = () => new Promise<void>(() => {});
    jobs.configure({ stabilize: { ...STABILIZE, captureTimeoutMs: 50 } });
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done" });
    expect(frames).toHaveLength(2);
    const { file: sent } = separate(printed(sim, "M73 P0 R3"));
    expect(sent.slice(0, commandsOf(text).length)).toEqual(commandsOf(text));
  });

  it("a pause asked for during a frame waits for the head to return, and parks from the print's position", async () => {
    const { jobs, sim, frames, file, camera, printer } = await rig();
    let release: () => void = () => {};
    camera.take = () => new Promise<void>((resolve) => (release = resolve));
    const text = layeredGcode({ layers: 3, movesPerLayer: 8 });
    await jobs.print(file("pause.gcode", text));
    await until(
      async () => frames.length,
      (n) => n === 1,
      "the first frame request",
    );
    const pausing = jobs.pause();
    expect(printer.state).toBe("pausing");
    release();
    await pausing;
    expect(printer.state).toBe("paused");
    const recording = printed(sim, "M73 P0 R3");
    // The pause's own M114 comes after the frame's return: it reads the print's position, not the park's.
    const frameEnd = recording.lastIndexOf("G1 F1800");
    const pauseM114 = recording.lastIndexOf("M114");
    expect(pauseM114).toBeGreaterThan(frameEnd);
    camera.take = async () => {};
    await jobs.resume();
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done" });
  });

  it("a cancel during a frame ends it there: no return moves, the cancel script runs", async () => {
    const { jobs, frames, file, camera, printer } = await rig();
    camera.take = () => new Promise<void>(() => {});
    jobs.configure({ stabilize: { ...STABILIZE, captureTimeoutMs: 60_000 } });
    await jobs.print(file("cancel.gcode", layeredGcode({ layers: 3, movesPerLayer: 8 })));
    await until(
      async () => frames.length,
      (n) => n === 1,
      "the first frame request",
    );
    await expect(jobs.cancel()).resolves.toMatchObject({ result: "cancelled" });
    expect(printer.state).toBe("idle");
  });

  it("takes a spiral vase's frames in place: its wall never retracts, so the head is not parked", async () => {
    const { jobs, sim, frames, file } = await rig();
    const text = `${layeredGcode({ layers: 4, movesPerLayer: 8 })}; spiral_vase = 1\n`;
    await jobs.print(file("vase.gcode", text));
    await expect(jobs.whenFinished()).resolves.toMatchObject({ result: "done" });
    expect(frames.map((f) => f.layer)).toEqual([1, 2, 3]);
    const { file: sent, blocks } = separate(printed(sim, "M73 P0 R3"));
    expect(blocks).toEqual([]);
    expect(sent.slice(0, commandsOf(text).length)).toEqual(commandsOf(text));
  });
});
