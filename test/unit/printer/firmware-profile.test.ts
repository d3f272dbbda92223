import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  applyCapabilities,
  detectFirmwareProfile,
  type FirmwareProfile,
  fillScript,
  loadFirmwareProfile,
  loadFirmwareProfiles,
  SCRIPT_PLACEHOLDERS,
} from "../../../server/printer/firmware-profile.ts";
import { HostError } from "../../../server/util/errors.ts";

const PROFILE_DIR = fileURLToPath(new URL("../../../firmware-profiles/", import.meta.url));
const SHIPPED_IDS = [
  "klipper",
  "marlin-2",
  "prusa-buddy",
  "prusa-mk3",
  "repetier",
  "reprapfirmware",
  "smoothieware",
];

type ProfileFile = FirmwareProfile & { $schema?: string; notes?: string };

function readShipped(id: string): ProfileFile {
  return JSON.parse(fs.readFileSync(path.join(PROFILE_DIR, `${id}.json`), "utf8")) as ProfileFile;
}

/** The HostError `fn` throws; fails the test when it throws something else or nothing. */
function hostErrorOf(fn: () => unknown): HostError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(HostError);
    return err as HostError;
  }
  throw new Error("expected a HostError, nothing was thrown");
}

const tempDirs: string[] = [];

afterEach(() => {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A temp dir holding one copy of marlin-2.json (as `<file>`) after `change` ran on it. */
function dirWithBrokenProfile(change: (p: ProfileFile) => void, file = "marlin-2.json"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layerwatch-profiles-"));
  tempDirs.push(dir);
  const profile = readShipped("marlin-2");
  change(profile);
  fs.writeFileSync(path.join(dir, file), JSON.stringify(profile, null, 2));
  return dir;
}

describe("shipped firmware profiles", () => {
  it("all validate against the schema and carry their file name as id", () => {
    const files = fs
      .readdirSync(PROFILE_DIR)
      .filter((f) => f.endsWith(".json") && f !== "schema.json")
      .sort();
    expect(files.map((f) => f.replace(/\.json$/, ""))).toEqual(SHIPPED_IDS);

    const profiles = loadFirmwareProfiles();
    expect(profiles.map((p) => p.id)).toEqual(SHIPPED_IDS);
    for (const id of SHIPPED_IDS) {
      expect(readShipped(id).$schema).toBe("./schema.json");
    }
  });

  it("drops the $schema editor hint from loaded profiles", () => {
    for (const profile of loadFirmwareProfiles()) {
      expect(Object.hasOwn(profile, "$schema")).toBe(false);
    }
  });

  it("every cancel script turns every heater off before anything moves", () => {
    for (const profile of loadFirmwareProfiles()) {
      const cancel = profile.scripts.cancel;
      const hotendOff = cancel.indexOf("M104 S0");
      const bedOff = cancel.indexOf("M140 S0");
      const firstMove = cancel.findIndex((line) => /^G[0-3]\b/.test(line));
      expect(hotendOff, `${profile.id}: cancel has M104 S0`).toBeGreaterThanOrEqual(0);
      expect(bedOff, `${profile.id}: cancel has M140 S0`).toBeGreaterThanOrEqual(0);
      if (firstMove >= 0) {
        expect(hotendOff, `${profile.id}: hotend off before the first move`).toBeLessThan(firstMove);
        expect(bedOff, `${profile.id}: bed off before the first move`).toBeLessThan(firstMove);
      }
    }
  });

  it("every motion section names its junction model and heats at a positive rate", () => {
    for (const profile of loadFirmwareProfiles()) {
      const { junctionDeviationMm, heating } = profile.motion;
      expect(junctionDeviationMm === null || junctionDeviationMm > 0, profile.id).toBe(true);
      expect(heating.hotendDegPerSecond, profile.id).toBeGreaterThan(heating.bedDegPerSecond);
    }
  });

  it("every emergency stop starts with M112", () => {
    for (const profile of loadFirmwareProfiles()) {
      expect(profile.scripts.emergencyStop[0], profile.id).toBe("M112");
    }
  });

  it("every script fills with the documented placeholders", () => {
    const values = Object.fromEntries(SCRIPT_PLACEHOLDERS.map((name, i) => [name, i + 0.5]));
    for (const profile of loadFirmwareProfiles()) {
      for (const lines of Object.values(profile.scripts)) {
        for (const line of fillScript(lines, values)) {
          expect(line, profile.id).not.toMatch(/[{};\n]/);
        }
      }
    }
  });
});

describe("detectFirmwareProfile", () => {
  const profiles = loadFirmwareProfiles();

  it("detects each profile from its own example name", () => {
    for (const profile of profiles) {
      expect(detectFirmwareProfile(profiles, profile.detection.example)?.id, profile.detection.example).toBe(
        profile.id,
      );
    }
  });

  it("prefers the Prusa profiles over marlin-2 for names that mention Marlin", () => {
    expect(detectFirmwareProfile(profiles, "Prusa-Firmware 3.13.2 based on Marlin")?.id).toBe("prusa-mk3");
    expect(detectFirmwareProfile(profiles, "Prusa-Firmware-Buddy 6.0.4+8451 (Github)")?.id).toBe(
      "prusa-buddy",
    );
    expect(detectFirmwareProfile(profiles, "Marlin bugfix-2.1.x (Github)")?.id).toBe("marlin-2");
  });

  it("matches case-insensitively", () => {
    expect(detectFirmwareProfile(profiles, "klipper")?.id).toBe("klipper");
    expect(detectFirmwareProfile(profiles, "MARLIN 2.0.9.3")?.id).toBe("marlin-2");
  });

  it("returns null for an unknown firmware", () => {
    expect(detectFirmwareProfile(profiles, "Sailfish v7.7")).toBeNull();
    expect(detectFirmwareProfile(profiles, "")).toBeNull();
  });
});

describe("loadFirmwareProfile", () => {
  it("loads one profile by id", () => {
    expect(loadFirmwareProfile("klipper").serial.flowControl).toBe("ping-pong");
  });

  it("names the known ids when the id is unknown", () => {
    const err = hostErrorOf(() => loadFirmwareProfile("sailfish"));
    expect(err.code).toBe("CONFIG");
    expect(err.message).toBe(`unknown firmware profile 'sailfish' (known: ${SHIPPED_IDS.join(", ")})`);
  });
});

describe("schema and loader reject broken profiles", () => {
  const cases: Array<{ what: string; change: (p: ProfileFile) => void; file?: string; message: RegExp }> = [
    {
      what: "a missing key",
      change: (p) => Reflect.deleteProperty(p.serial, "checksum"),
      message: /\/marlin-2\.json: \/serial must have required property 'checksum'$/,
    },
    {
      what: "a wrong enum value",
      change: (p) => Object.assign(p.serial, { flowControl: "xon-xoff" }),
      message: /\/marlin-2\.json: \/serial\/flowControl must be equal to one of the allowed values/,
    },
    {
      what: "an extra key",
      change: (p) => Object.assign(p.serial, { baud: 115200 }),
      message: /\/marlin-2\.json: \/serial must NOT have additional properties 'baud'$/,
    },
    {
      what: "a newline inside a command",
      change: (p) => {
        p.scripts.cancel[1] = "M104 S0\nM140 S0";
      },
      message: /\/marlin-2\.json: \/scripts\/cancel\/1 must match pattern/,
    },
    {
      what: "a comment inside a command",
      change: (p) => {
        p.scripts.pause[0] = "M83 ; relative E";
      },
      message: /\/marlin-2\.json: \/scripts\/pause\/0 must match pattern/,
    },
    {
      what: "a line length below the minimum",
      change: (p) => {
        p.serial.maxLineLength = 8;
      },
      message: /marlin-2\.json: \/serial\/maxLineLength must be >= 16$/,
    },
    {
      what: "a non-standard baud rate",
      change: (p) => {
        p.serial.baudRates = [250000, 123456];
      },
      message: /\/serial\/baudRates\/1 must be equal to one of the allowed values/,
    },
    {
      what: "an emergency stop that does not start with M112",
      change: (p) => {
        p.scripts.emergencyStop = ["M104 S0", "M112"];
      },
      message: /\/scripts\/emergencyStop\/0 must be equal to constant "M112"$/,
    },
    {
      what: "a motion section without its feedrates",
      change: (p) => Reflect.deleteProperty(p.motion, "maxFeedrate"),
      message: /\/marlin-2\.json: \/motion must have required property 'maxFeedrate'$/,
    },
    {
      what: "a limit command other than M201/M203/M204/M205",
      change: (p) => {
        p.motion.fileLimitCommands = ["M201", "M566" as "M201"];
      },
      message: /\/motion\/fileLimitCommands\/1 must be equal to one of the allowed values/,
    },
    {
      what: "a zero acceleration",
      change: (p) => {
        p.motion.maxAcceleration.x = 0;
      },
      message: /\/motion\/maxAcceleration\/x must be > 0$/,
    },
    {
      what: "an id that differs from the file name",
      change: () => {},
      file: "marlin-3.json",
      message: /marlin-3\.json: \/id 'marlin-2' must equal the file name 'marlin-3'$/,
    },
    {
      what: "an unknown script placeholder",
      change: (p) => {
        p.scripts.pause[5] = "G1 X{park.x} Y{park.why} F6000";
      },
      message:
        /\/scripts\/pause\/5 unknown placeholder \{park\.why\} in "G1 X\{park\.x\} Y\{park\.why\} F6000"/,
    },
    {
      what: "an invalid detection regex",
      change: (p) => {
        p.detection.firmwareName = ["^Marlin("];
      },
      message: /\/detection\/firmwareName\/0: invalid regular expression/,
    },
    {
      what: "an example its own regexes do not match",
      change: (p) => {
        p.detection.example = "Sailfish v7.7";
      },
      message: /\/detection\/example "Sailfish v7\.7" matches none of \/detection\/firmwareName$/,
    },
  ];

  for (const { what, change, file, message } of cases) {
    it(`rejects ${what}`, () => {
      const dir = dirWithBrokenProfile(change, file);
      const err = hostErrorOf(() => loadFirmwareProfiles(dir));
      expect(err.code).toBe("CONFIG");
      expect(err.message).toMatch(message);
      expect(err.message.startsWith(`${path.basename(dir)}/`)).toBe(true);
    });
  }

  it("rejects a file that is not JSON", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layerwatch-profiles-"));
    tempDirs.push(dir);
    fs.writeFileSync(path.join(dir, "broken.json"), "{ not json");
    const err = hostErrorOf(() => loadFirmwareProfiles(dir));
    expect(err.code).toBe("CONFIG");
    expect(err.message).toMatch(/broken\.json: invalid JSON/);
  });

  it("ignores schema.json and non-JSON files in the directory", () => {
    const dir = dirWithBrokenProfile(() => {});
    fs.writeFileSync(path.join(dir, "schema.json"), "{ not even json");
    fs.writeFileSync(path.join(dir, "README.md"), "# notes");
    expect(loadFirmwareProfiles(dir).map((p) => p.id)).toEqual(["marlin-2"]);
  });
});

describe("applyCapabilities", () => {
  it("overrides the assumed capabilities with what M115 reported", () => {
    const marlin = loadFirmwareProfile("marlin-2");
    const caps = applyCapabilities(marlin, {
      AUTOREPORT_TEMP: true,
      EMERGENCY_PARSER: true,
      THERMAL_PROTECTION: true,
    });
    expect(caps.AUTOREPORT_TEMP).toBe(true);
    expect(caps.EMERGENCY_PARSER).toBe(true);
    expect(caps.THERMAL_PROTECTION).toBe(true);
    expect(caps.ADVANCED_OK).toBe(false);
    expect(marlin.capabilities.AUTOREPORT_TEMP).toBe(false);
  });
});

describe("fillScript", () => {
  it("replaces placeholders and prints numbers without float noise", () => {
    const lines = ["G1 X{park.x} Y{park.y} F{feedrate}", "G92 E{position.e}", "M84"];
    expect(
      fillScript(lines, { "park.x": 0.1 + 0.2, "park.y": 12.5, feedrate: 3, "position.e": -0.0001 }),
    ).toEqual(["G1 X0.3 Y12.5 F3", "G92 E0", "M84"]);
    expect(fillScript(["G1 Z{position.z}"], { "position.z": 10.12345 })).toEqual(["G1 Z10.123"]);
    expect(fillScript(["G1 X{park.x}"], { "park.x": "-5" })).toEqual(["G1 X-5"]);
  });

  it("leaves the input untouched", () => {
    const lines = ["G1 X{park.x}"];
    fillScript(lines, { "park.x": 1 });
    expect(lines).toEqual(["G1 X{park.x}"]);
  });

  it("rejects a placeholder without a value, naming it and the line", () => {
    const err = hostErrorOf(() => fillScript(["G1 X{park.x} Y{park.y}"], { "park.x": 1 }));
    expect(err.code).toBe("CONFIG");
    expect(err.message).toBe('unknown placeholder {park.y} in script line "G1 X{park.x} Y{park.y}"');
  });

  it("rejects values that are not finite numbers or that would inject commands", () => {
    expect(hostErrorOf(() => fillScript(["G1 X{park.x}"], { "park.x": Number.NaN })).code).toBe("CONFIG");
    expect(hostErrorOf(() => fillScript(["G1 X{park.x}"], { "park.x": "1\nM112" })).code).toBe("CONFIG");
    expect(hostErrorOf(() => fillScript(["G1 X{park.x}"], { "park.x": "1 ; note" })).code).toBe("CONFIG");
  });
});
