import { describe, expect, it } from "vitest";
import { fileItem, itemTree, printStats } from "../../../../server/api/octoprint/file-map.ts";
import { STATE_TEXT, stateFlags } from "../../../../server/api/octoprint/state-map.ts";
import { octoHistory, octoTemperatures } from "../../../../server/api/octoprint/temperature-map.ts";
import { octoPermissions } from "../../../../server/api/octoprint/user-map.ts";
import type {
  FileEntry,
  StoredAnalysis,
  StoreEntry,
} from "../../../../server/jobs/files/file-store-types.ts";
import type { JobRecord } from "../../../../server/jobs/history/types.ts";

describe("state strings and flags", () => {
  it("uses OctoPrint's English state texts", () => {
    expect(STATE_TEXT).toEqual({
      disconnected: "Offline",
      connecting: "Connecting",
      idle: "Operational",
      printing: "Printing",
      pausing: "Pausing",
      paused: "Paused",
      resuming: "Resuming",
      cancelling: "Cancelling",
      error: "Error",
    });
  });

  it("sets the flags Cura reads in its order (error, paused/pausing, printing, cancelling, ready)", () => {
    expect(stateFlags("idle")).toMatchObject({
      operational: true,
      ready: true,
      printing: false,
      closedOrError: false,
    });
    expect(stateFlags("idle", true).ready).toBe(false);
    expect(stateFlags("printing")).toMatchObject({ operational: true, printing: true, ready: false });
    expect(stateFlags("pausing")).toMatchObject({ pausing: true, paused: false, printing: false });
    expect(stateFlags("paused")).toMatchObject({ paused: true, operational: true });
    expect(stateFlags("cancelling")).toMatchObject({ cancelling: true, printing: false });
    expect(stateFlags("error")).toMatchObject({ error: true, closedOrError: true, operational: false });
    expect(stateFlags("disconnected")).toMatchObject({
      error: false,
      closedOrError: true,
      operational: false,
    });
    expect(stateFlags("connecting")).toMatchObject({ closedOrError: false, operational: false });
  });
});

describe("temperatures", () => {
  it("names tools and the bed as OctoPrint does, leaves sensors out, gives a missing target as 0", () => {
    expect(
      octoTemperatures({
        T0: { actual: 210.123, target: 210 },
        T1: { actual: 25, target: null },
        B: { actual: 60, target: 60 },
        C: { actual: 30, target: 0 },
        P: { actual: 35, target: null },
      }),
    ).toEqual({
      tool0: { actual: 210.12, target: 210, offset: 0 },
      tool1: { actual: 25, target: 0, offset: 0 },
      bed: { actual: 60, target: 60, offset: 0 },
      chamber: { actual: 30, target: 0, offset: 0 },
    });
  });

  it("groups history samples per second and keeps the last `limit`", () => {
    const samples = [
      { at: 1000, heater: "T0", actual: 20, target: 0 },
      { at: 1100, heater: "B", actual: 21, target: null },
      { at: 2000, heater: "T0", actual: 30, target: 200 },
      { at: 3000, heater: "T0", actual: 40, target: 200 },
      { at: 3000, heater: "P", actual: 40, target: null },
    ];
    expect(octoHistory(samples, 2)).toEqual([
      { time: 2, tool0: { actual: 30, target: 200 } },
      { time: 3, tool0: { actual: 40, target: 200 } },
    ]);
    expect(octoHistory(samples, 10, ["bed"])).toEqual([{ time: 1, bed: { actual: 21, target: 0 } }]);
  });
});

const ANALYSIS = {
  totalSeconds: 1800.4,
  filamentMm: [1298.39],
  slicer: { filamentCm3: [3.12] },
  objectBoundingBox: { minX: 10, minY: 20, minZ: 0.2, maxX: 30, maxY: 40, maxZ: 20 },
  boundingBox: null,
} as unknown as StoredAnalysis;

function file(path: string, analysis = true): FileEntry {
  return {
    type: "file",
    name: path.split("/").pop() ?? path,
    path,
    size: 100,
    modifiedMs: 1_700_000_000_500,
    hash: "ab",
    analysis: analysis
      ? { status: "ready", analyzedAt: "2025-01-01T00:00:00Z", analysis: ANALYSIS }
      : { status: "pending" },
  };
}

describe("file items", () => {
  it("shapes a file with refs, analysis (slicer volume, dimensions) and print statistics", () => {
    const item = fileItem(file("a b/cube.gcode"), "http://p:5000", {
      success: 1,
      failure: 0,
      last: { date: 1, success: true, printTime: 2 },
    });
    expect(item).toMatchObject({
      name: "cube.gcode",
      path: "a b/cube.gcode",
      date: 1_700_000_000,
      refs: {
        resource: "http://p:5000/api/files/local/a%20b/cube.gcode",
        download: "http://p:5000/downloads/files/local/a%20b/cube.gcode",
      },
      gcodeAnalysis: {
        estimatedPrintTime: 1800,
        filament: { tool0: { length: 1298.39, volume: 3.12 } },
        dimensions: { width: 20, depth: 20, height: 19.8 },
      },
      prints: { success: 1 },
    });
    expect(fileItem(file("x.gcode", false), "http://p").gcodeAnalysis).toBeUndefined();
  });

  it("nests a flat listing, with children down to the requested depth", () => {
    const folder = (path: string): StoreEntry => ({
      type: "folder",
      name: path.split("/").pop() ?? path,
      path,
      modifiedMs: 0,
    });
    const entries = [
      folder("a"),
      folder("a/b"),
      file("a/b/deep.gcode"),
      file("a/top.gcode"),
      file("root.gcode"),
    ];
    const flat = itemTree(entries, "", "http://p", new Map(), 1);
    expect(flat.map((i) => i.path)).toEqual(["a", "root.gcode"]);
    const a = flat[0] as { children: { path: string; children?: unknown }[] };
    expect(a.children.map((c) => c.path)).toEqual(["a/b", "a/top.gcode"]);
    expect(a.children[0]?.children).toBeUndefined();
    const full = itemTree(entries, "", "http://p", new Map(), Number.POSITIVE_INFINITY);
    expect(JSON.stringify(full)).toContain("a/b/deep.gcode");
  });

  it("counts successes and failures per file, the newest job being the last", () => {
    const job = (id: number, f: string, result: "done" | "failed" | null, endedAt: number | null) =>
      ({ id, file: f, result, endedAt, durationMs: endedAt === null ? null : 60_000 }) as JobRecord;
    const stats = printStats([
      job(3, "a.gcode", "failed", 3000),
      job(2, "a.gcode", "done", 2000),
      job(1, "b.gcode", null, null),
    ]);
    expect(stats.get("a.gcode")).toEqual({
      success: 1,
      failure: 1,
      last: { date: 3, success: false, printTime: 60 },
    });
    expect(stats.has("b.gcode")).toBe(false);
  });
});

describe("permissions", () => {
  it("maps roles onto OctoPrint's permission keys", () => {
    expect(octoPermissions("viewer")).toEqual(
      expect.arrayContaining(["STATUS", "WEBCAM", "FILES_LIST", "FILES_DOWNLOAD"]),
    );
    expect(octoPermissions("viewer")).not.toContain("PRINT");
    expect(octoPermissions("operator")).toEqual(expect.arrayContaining(["PRINT", "FILES_UPLOAD", "CONTROL"]));
    expect(octoPermissions("admin")).toContain("ADMIN");
  });
});
