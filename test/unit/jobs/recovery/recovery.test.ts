import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { analyzeGcodeFile } from "../../../../server/jobs/analysis/analyze-file.ts";
import type { JobFiles } from "../../../../server/jobs/control/job-ports.ts";
import { applyCommand, initialModalState } from "../../../../server/jobs/control/modal-state.ts";
import { modalStateAt } from "../../../../server/jobs/recovery/modal-scan.ts";
import { planResume } from "../../../../server/jobs/recovery/plan-resume.ts";
import type { RecoveryPoint } from "../../../../server/jobs/recovery/recovery-point.ts";
import {
  DEFAULT_RECOVERY_SETTINGS,
  recoverySequence,
} from "../../../../server/jobs/recovery/recovery-sequence.ts";
import { RecoveryStore } from "../../../../server/jobs/recovery/recovery-store.ts";
import { silentLogger } from "../../../../server/util/log.ts";
import { layeredGcode } from "../../../helpers/layered-gcode.ts";

const dir = mkdtempSync(path.join(tmpdir(), "layerwatch-recovery-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("recoverySequence", () => {
  it("heats, sets Z without homing it, homes X/Y, primes off the part, returns and restores the file's modes", () => {
    const modal = initialModalState();
    for (const command of [
      "M140 S60",
      "M104 S215",
      "G90",
      "M83",
      "G1 X100.5 Y80 Z2.4 F7200",
      "G1 X101 E0.2 F1800",
      "M106 S204",
    ])
      applyCommand(modal, command);
    expect(recoverySequence(modal, 2.6)).toEqual([
      "M140 S60",
      "M104 T0 S215",
      "M190 S60",
      "M109 T0 S215",
      "G92 Z2.6",
      "G91",
      "G1 Z2 F600",
      "G90",
      "G28 X Y",
      "T0",
      "M83",
      "G1 E5 F200",
      "G1 X101 Y80 F6000",
      "G1 Z2.4 F600",
      "M106 P0 S204",
      "G90",
      "M83",
      "G92 E0.2",
      "G1 F1800",
    ]);
  });

  it("never homes Z", () => {
    const lines = recoverySequence(initialModalState(), 10);
    expect(lines.filter((l) => l.startsWith("G28"))).toEqual(["G28 X Y"]);
  });
});

describe("modalStateAt", () => {
  it("equals applying every command before the offset", async () => {
    const lines = ["M140 S60", "M104 S215 ; hot", "G28", "M82", "G92 E0"];
    for (let i = 0; i < 5000; i++)
      lines.push(`G1 X${i % 200} Y${i % 150} Z${(i / 1000).toFixed(2)} E${i / 10}`);
    lines.push(";LAYER_CHANGE", "G1 Z9 F600", "M107");
    const text = `${lines.join("\n")}\n`;
    const file = path.join(dir, "scan.gcode");
    writeFileSync(file, text);
    const offset = text.indexOf(";LAYER_CHANGE");
    const expected = initialModalState();
    for (const line of lines.slice(0, lines.indexOf(";LAYER_CHANGE")))
      applyCommand(expected, line.split(";")[0]?.trim() ?? "");
    expect(await modalStateAt(file, offset)).toEqual(expected);
    expect(await modalStateAt(file, 0)).toEqual(initialModalState());
  });
});

function point(byteOffset: number): RecoveryPoint {
  return {
    version: 1,
    state: "printing",
    reason: null,
    jobId: 7,
    file: "cube.gcode",
    fileHash: "abc",
    byteOffset,
    linesAcknowledged: 10,
    layer: 3,
    layerCount: 100,
    z: 0.8,
    modal: initialModalState(),
    temperatures: { T0: { actual: 215, target: 215 } },
    startedAt: 1,
    updatedAt: 2,
  };
}

describe("RecoveryStore", () => {
  it("writes, replaces, keeps only the newest of queued points, and clears", async () => {
    const file = path.join(dir, "store", "recovery.json");
    const store = new RecoveryStore({ file, log: silentLogger() });
    expect(await store.load()).toBeNull();
    void store.save(point(1));
    void store.save(point(2));
    await store.save(point(3));
    expect((await store.load())?.byteOffset).toBe(3);
    expect(readdirSync(path.dirname(file))).toEqual(["recovery.json"]);
    await store.clear();
    expect(await store.load()).toBeNull();
  });

  it("treats a damaged file as no point", async () => {
    const file = path.join(dir, "damaged.json");
    writeFileSync(file, '{"version":1,"file":');
    expect(await new RecoveryStore({ file, log: silentLogger() }).load()).toBeNull();
  });
});

describe("planResume", () => {
  const text = layeredGcode({ layers: 5, movesPerLayer: 4, heat: true });
  const file = path.join(dir, "plan.gcode");
  writeFileSync(file, text);
  const files: JobFiles = {
    absolutePath: async () => file,
    describe: async () => ({ hash: "h1", analysis: await analyzeGcodeFile(file) }),
  };
  const deps = { files, cacheDir: path.join(dir, "cache"), settings: DEFAULT_RECOVERY_SETTINGS };
  const stopped = { ...point(0), file: "plan.gcode", fileHash: "h1", layer: 3, z: 0.8 };

  it("starts at the chosen layer's first line with the file's state there and the recovery sequence first", async () => {
    const plan = await planResume(stopped, 2, deps);
    const offset = nthIndex(text, ";LAYER_CHANGE", 2);
    expect(plan.options.startOffset).toBe(offset);
    expect(plan.options.modal).toMatchObject({
      z: 0.4,
      relativeE: true,
      bedTarget: 60,
      hotendTargets: { 0: 215 },
    });
    expect(plan.options.preamble?.slice(0, 5)).toEqual([
      "M140 S60",
      "M104 T0 S215",
      "M190 S60",
      "M109 T0 S215",
      "G92 Z0.8",
    ]);
    expect(plan.options).toMatchObject({ resumedFrom: 7, startLayer: 2 });
  });

  it("refuses a layer after the one the print stopped in, and a file that changed", async () => {
    await expect(planResume(stopped, 4, deps)).rejects.toMatchObject({
      code: "USAGE",
      message: "resume from layer 5: choose a layer from 1 to 4 (where the print stopped)",
    });
    await expect(planResume({ ...stopped, fileHash: "other" }, 1, deps)).rejects.toMatchObject({
      code: "CONFLICT",
      message: "plan.gcode has changed since it was printing: it cannot be resumed",
    });
  });
});

function nthIndex(text: string, needle: string, n: number): number {
  let at = -1;
  for (let i = 0; i <= n; i++) at = text.indexOf(needle, at + 1);
  return at;
}
