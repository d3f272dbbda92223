import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { run, scratchDir } from "../../bench/processes.ts";
import { applyCommand, initialModalState } from "../../server/jobs/control/modal-state.ts";
import type { RecoveryPoint } from "../../server/jobs/recovery/recovery-point.ts";
import { recoverySequence } from "../../server/jobs/recovery/recovery-sequence.ts";
import { type SimProcess, startSimProcess } from "../../server/sim/sim-process.ts";
import { commandsOf, layeredGcode } from "../helpers/layered-gcode.ts";

/**
 * Acceptance 3 of issue 3: the daemon is killed with SIGKILL mid-print; started again, it resumes
 * from the offered layer. The simulator (its own process, on a pseudo-terminal, recording every
 * command it executes) shows the resume sequence, without Z homing, then the file from that
 * layer's first line, and no earlier line.
 */

const BIN = path.resolve(import.meta.dirname, "../../bin/layerwatch.js");
let sim: SimProcess | null = null;

afterEach(async () => {
  await sim?.stop();
  sim = null;
});

function readPoint(file: string): RecoveryPoint | null {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as RecoveryPoint;
  } catch {
    return null;
  }
}

describe("recovery after the daemon is killed", () => {
  it("SIGKILL mid-print, restart, resume from the offered layer: sequence without Z homing, then the file from that layer", async () => {
    sim = await startSimProcess(["--speed", "20", "--advanced-ok"]);
    const dir = scratchDir("recovery");
    const data = path.join(dir, "data");
    const text = layeredGcode({ layers: 30, movesPerLayer: 30, heat: true });
    const gcode = path.join(dir, "ring.gcode");
    writeFileSync(gcode, text);
    const recoveryFile = path.join(data, "recovery.json");

    const child = spawn(process.execPath, [BIN, "print", "--printer", sim.link, "--data", data, gcode], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    await expect
      .poll(() => readPoint(recoveryFile)?.layer ?? -1, { timeout: 30_000, interval: 20 })
      .toBeGreaterThanOrEqual(4);
    child.kill("SIGKILL");
    await expect(exited).resolves.toBe("SIGKILL");

    const shown = await run(process.execPath, [BIN, "recover", "--data", data]);
    expect(shown.code).toBe(0);
    const point = JSON.parse(shown.stdout) as RecoveryPoint;
    expect(point).toMatchObject({ state: "printing", file: "ring.gcode", layerCount: 30 });
    const layer = point.layer; // 0-based: resume from the layer the print stopped in
    const resumed = await run(process.execPath, [
      BIN,
      "recover",
      "--printer",
      sim.link,
      "--data",
      data,
      "--layer",
      String(layer + 1),
    ]);
    expect(resumed.stderr).not.toMatch(/"level":50/);
    expect(resumed.code).toBe(0);
    // Nothing but the outcome on stdout (the whole output shows if anything else got there).
    expect(resumed.stdout).toMatch(/^\{[^\n]*\}\n$/);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ result: "done", file: "ring.gcode" });
    expect(readPoint(recoveryFile)).toBeNull();

    const recording = (await sim.stop()).filter((c) => c !== "M105");
    sim = null;
    // The file from the resumed layer's first line (its `;LAYER_CHANGE`) to the end.
    const layerStart = nthIndex(text, ";LAYER_CHANGE", layer);
    const tail = commandsOf(text.slice(layerStart));
    const modal = initialModalState();
    for (const command of commandsOf(text.slice(0, layerStart))) applyCommand(modal, command);
    const sequence = recoverySequence(modal, point.z);
    expect(recording.slice(-tail.length)).toEqual(tail);
    const resumeAt = recording.length - tail.length - sequence.length;
    expect(recording.slice(resumeAt, recording.length - tail.length)).toEqual(sequence);
    expect(sequence).toContain("G28 X Y");
    expect(sequence.filter((c) => /^G28\b/.test(c) && !/^G28 X Y$/.test(c))).toEqual([]);
    expect(sequence).toContain(`G92 Z${point.z}`);
    // Nothing of the file before that layer was sent again: before the sequence there is only the
    // reconnect handshake, back to the last line the first run executed.
    const handshake = recording.lastIndexOf("M115", resumeAt);
    expect(
      recording.slice(handshake + 1, resumeAt).every((c) => /^M(110|115|155|105|21|114)\b/.test(c)),
    ).toBe(true);
  }, 90_000);
});

function nthIndex(text: string, needle: string, n: number): number {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  return at;
}
