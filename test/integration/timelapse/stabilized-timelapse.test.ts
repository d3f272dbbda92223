import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TimelapseDto } from "../../../server/api/contract.ts";
import { CUBE } from "../../helpers/fixtures.ts";
import { commandsOf } from "../../helpers/layered-gcode.ts";
import { startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";
import { configureTimelapse, printToEnd, uploadAnalysed, waitForVideo } from "./timelapse-helpers.ts";

/**
 * Acceptance: stabilized layer mode on the cube fixture. The simulator records every command it
 * executes: at each layer change the head retracts, hops, parks at the park position and stops; the
 * frame is taken; the head returns to where it was and unretracts. With those sequences removed, the
 * recording is exactly the file's own command sequence.
 */

const FRAME = [
  /^M400$/,
  /^M114$/,
  /^G90$/,
  /^M83$/,
  /^G1 E-1 F2700$/,
  /^G1 Z[\d.]+ F600$/,
  /^G1 X0 Y200 F9000$/,
  /^M400$/,
  /^G1 X[\d.]+ Y[\d.]+ F9000$/,
  /^G1 Z[\d.]+ F600$/,
  /^G1 E1 F2700$/,
  /^G9[01]$/,
  /^M8[23]$/,
  /^G1 F[\d.]+$/,
];

const recordDir = mkdtempSync(path.join(tmpdir(), "layerwatch-record-"));
const recordFile = path.join(recordDir, "sim.gcode");
let t: TestDaemon | null = null;
let layers = 0;
let video: TimelapseDto;
let recording: string[] = [];

beforeAll(async () => {
  const daemon = await startTestDaemon({
    simSpeed: 100,
    engine: "worker",
    config: { printer: { simRecordFile: recordFile } },
  });
  t = daemon;
  layers = await uploadAnalysed(daemon.admin, "cube.gcode", CUBE);
  await configureTimelapse(daemon.admin, {
    mode: "layer",
    stabilize: true,
    minIntervalSeconds: 0,
    fps: 10,
    postRollSeconds: 0,
    minFreeMiB: 0,
  });
  const jobId = await printToEnd(daemon.admin, "cube.gcode");
  video = (await waitForVideo(daemon.admin, jobId)).videos.find((v) => v.jobId === jobId) as TimelapseDto;
  // Stopping the daemon stops the simulator, which closes its recording.
  await daemon.stop();
  t = null;
  recording = readFileSync(recordFile, "utf8")
    .split("\n")
    .filter((line) => line !== "" && line !== "M105");
}, 240_000);

afterAll(async () => {
  await t?.stop();
  rmSync(recordDir, { recursive: true, force: true });
});

/** Splits the print's part of the recording into the file's commands and the inserted frame sequences. */
function separate(lines: string[]): { file: string[]; frames: { block: string[]; before: string[] }[] } {
  const file: string[] = [];
  const frames: { block: string[]; before: string[] }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const block = lines.slice(i, i + FRAME.length);
    if (block.length === FRAME.length && FRAME.every((pattern, k) => pattern.test(block[k] as string))) {
      frames.push({ block, before: [...file] });
      i += FRAME.length - 1;
    } else file.push(lines[i] as string);
  }
  return { file, frames };
}

/** The last X and Y a list of absolute moves set. */
function lastXY(commands: string[]): { x: number; y: number } {
  let x = Number.NaN;
  let y = Number.NaN;
  for (const command of commands) {
    if (!/^G[01] /.test(command)) continue;
    const mx = / X(-?[\d.]+)/.exec(command);
    const my = / Y(-?[\d.]+)/.exec(command);
    if (mx) x = Number(mx[1]);
    if (my) y = Number(my[1]);
  }
  return { x, y };
}

describe("stabilized layer-mode time-lapse", () => {
  it("parks and returns at each of the cube's layer changes; without those moves the recording is the file", () => {
    const expected = commandsOf(readFileSync(CUBE, "latin1"));
    const start = recording.indexOf(expected[0] as string);
    expect(start).toBeGreaterThanOrEqual(0);
    const { file, frames } = separate(recording.slice(start));
    expect(file.slice(0, expected.length)).toEqual(expected);
    expect(frames).toHaveLength(layers - 1);
    for (const { block, before } of frames) {
      // The return move goes back to exactly where the file had left the head.
      const { x, y } = lastXY(before);
      expect(block[8]).toBe(`G1 X${Number(x.toFixed(3))} Y${Number(y.toFixed(3))} F9000`);
    }
  });

  it("rendered a frame per layer: one per change, and the finished part", () => {
    expect(layers).toBe(100);
    expect(video).toMatchObject({ outcome: "done", frames: layers });
  });
});
