import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { scratchDir } from "../../../bench/processes.ts";
import { DEFAULT_SETTINGS, type Settings } from "../../../server/jobs/settings/settings-schema.ts";
import { SettingsStore } from "../../../server/jobs/settings/settings-store.ts";
import { silentLogger } from "../../../server/util/log.ts";

function store(defaults?: Settings): { store: SettingsStore; file: string; dir: string } {
  const dir = scratchDir("settings");
  const file = join(dir, "settings.json");
  return {
    store: new SettingsStore({ file, log: silentLogger(), ...(defaults ? { defaults } : {}) }),
    file,
    dir,
  };
}

describe("SettingsStore", () => {
  it("starts from the defaults when there is no file, and writes nothing until a change", async () => {
    const { store: s, dir } = store();
    await expect(s.load()).resolves.toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("merges a patch, persists it atomically and emits change with the previous settings", async () => {
    const { store: s, file, dir } = store();
    await s.load();
    const seen: [number | null, number | null][] = [];
    s.on("change", (now, before) => seen.push([now.serial.baudRate, before.serial.baudRate]));
    const next = await s.update({ serial: { baudRate: 115200 }, jobs: { park: { y: 180 } } });
    expect(next.serial).toEqual({ ...DEFAULT_SETTINGS.serial, baudRate: 115200 });
    expect(next.jobs).toEqual({ park: { x: 0, y: 180 }, coolAfterPauseMinutes: 10 });
    expect(seen).toEqual([[115200, null]]);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(next);
    expect(readdirSync(dir)).toEqual(["settings.json"]);

    const reloaded = new SettingsStore({ file, log: silentLogger() });
    await expect(reloaded.load()).resolves.toEqual(next);
  });

  it("replaces the preset list as a whole and refuses duplicate names", async () => {
    const { store: s } = store();
    const presets = [{ name: "TPU", nozzle: 225, bed: 50 }];
    await expect(s.update({ temperaturePresets: presets })).resolves.toMatchObject({
      temperaturePresets: presets,
    });
    await expect(
      s.update({ temperaturePresets: [...presets, { name: "tpu", nozzle: 200, bed: 40 }] }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("unique") });
    expect(s.get().temperaturePresets).toEqual(presets);
  });

  it.each([
    [{ serial: { baudRate: 12 } }, "settings.serial.baudRate"],
    [{ serial: { port: "ttyUSB0" } }, "settings.serial.port"],
    [{ jobs: { coolAfterPauseMinutes: "ten" } }, "settings.jobs.coolAfterPauseMinutes"],
    [{ temperaturePresets: [{ name: "PLA", nozzle: 900, bed: 60 }] }, "settings.temperaturePresets.0.nozzle"],
    [{ serial: { parity: "none" } }, "settings.serial"],
    [
      {
        camera: {
          source: {
            kind: "http",
            snapshotUrl: "file:///etc/passwd",
            streamUrl: "http://a/",
            timeoutMs: 5000,
          },
        },
      },
      "settings.camera.source.snapshotUrl",
    ],
    [
      { camera: { source: { kind: "usb", device: "/dev/../etc/passwd", width: 640, height: 480, fps: 10 } } },
      "settings.camera.source.device",
    ],
    [{ camera: { source: { kind: "rtsp" } } }, "settings.camera.source.kind"],
    [{ timelapse: { mode: "zchange" } }, "settings.timelapse.mode"],
    [{ timelapse: { renderOn: ["done", "done"] } }, "settings.timelapse.renderOn"],
    [{ timelapse: { fps: 0 } }, "settings.timelapse.fps"],
  ])("refuses %j naming %s, with nothing changed", async (patch, key) => {
    const { store: s, dir } = store();
    await expect(s.update(patch as never)).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringContaining(`${key}:`),
    });
    expect(s.get()).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("applies concurrent updates one after the other", async () => {
    const { store: s } = store();
    await Promise.all([
      s.update({ serial: { baudRate: 250000 } }),
      s.update({ serial: { autoconnect: false } }),
    ]);
    expect(s.get().serial).toMatchObject({ baudRate: 250000, autoconnect: false });
  });

  it("fills keys missing from an older file with the defaults, and refuses a bad file naming the key", async () => {
    const { store: s, file } = store();
    writeFileSync(file, JSON.stringify({ serial: { port: "/dev/ttyACM0" } }));
    await expect(s.load()).resolves.toMatchObject({
      serial: { port: "/dev/ttyACM0", autoconnect: true },
      temperaturePresets: DEFAULT_SETTINGS.temperaturePresets,
    });
    writeFileSync(file, JSON.stringify({ jobs: { park: { x: "left" } } }));
    await expect(new SettingsStore({ file, log: silentLogger() }).load()).rejects.toMatchObject({
      code: "CONFIG",
      message: expect.stringContaining("settings.jobs.park.x"),
    });
    writeFileSync(file, "{ not json");
    await expect(new SettingsStore({ file, log: silentLogger() }).load()).rejects.toMatchObject({
      code: "CONFIG",
    });
  });

  it("hands out frozen settings", async () => {
    const { store: s } = store({
      ...DEFAULT_SETTINGS,
      serial: { ...DEFAULT_SETTINGS.serial, port: "/dev/ttyUSB0" },
    });
    const settings = s.get();
    expect(settings.serial.port).toBe("/dev/ttyUSB0");
    expect(Object.isFrozen(settings.serial)).toBe(true);
  });

  it("replaces the camera source as a whole and merges the time-lapse keys", async () => {
    const { store: s } = store();
    await s.load();
    const source = {
      kind: "http",
      snapshotUrl: "http://127.0.0.1:8080/?action=snapshot",
      streamUrl: "http://127.0.0.1:8080/?action=stream",
      timeoutMs: 3000,
    } as const;
    const next = await s.update({ camera: { source }, timelapse: { mode: "layer", fps: 30 } });
    expect(next.camera).toEqual({ ...DEFAULT_SETTINGS.camera, source });
    expect(next.timelapse).toEqual({ ...DEFAULT_SETTINGS.timelapse, mode: "layer", fps: 30 });
  });
});
