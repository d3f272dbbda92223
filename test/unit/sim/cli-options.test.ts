import { describe, expect, it } from "vitest";
import { defaultSimConfig, parseSimArgs, validateSimConfig } from "../../../server/sim/index.ts";
import { isHostError } from "../../../server/util/errors.ts";
import { MARLIN_2, TEST_PROFILE } from "./sim-harness.ts";

function usageError(argv: string[]): string {
  try {
    parseSimArgs(argv);
  } catch (err) {
    if (isHostError(err, "USAGE")) return err.message;
    throw err;
  }
  throw new Error("no error");
}

describe("layerwatch sim options", () => {
  it("applies flags over the profile's defaults", () => {
    const options = parseSimArgs([
      "--link=/tmp/ttySim",
      "--baud-pace",
      "250000",
      "--latency",
      "1",
      "--advanced-ok",
      "--corrupt",
      "0.01",
      "--drop-ok",
      "0.005",
      "--record",
      "/tmp/r.txt",
      "--speed",
      "0",
      "--reset-at-line",
      "100",
      "--rx-buffer",
      "64",
      "--bufsize",
      "8",
      "--seed",
      "7",
      "--emergency-parser",
    ]);
    expect(options.link).toBe("/tmp/ttySim");
    expect(options.profile).toBe("marlin-2");
    const config = defaultSimConfig(TEST_PROFILE);
    options.apply(config);
    expect(config.link).toEqual({ bytesPerSecond: 25_000, latencyMs: 1 });
    expect(config.capabilities.advancedOk).toBe(true);
    expect(config.capabilities.emergencyParser).toBe(true);
    expect(config.faults).toMatchObject({ corruptRatio: 0.01, dropOkRatio: 0.005, resetAtLine: 100 });
    expect(config.record.file).toBe("/tmp/r.txt");
    expect([config.speed, config.rxBufferBytes, config.commandBufferSlots, config.seed]).toEqual([
      0, 64, 8, 7,
    ]);
    expect(validateSimConfig(config)).toBe(config);
  });

  it("takes buffer sizes, identity and capabilities from the profile", () => {
    const config = defaultSimConfig(MARLIN_2);
    expect(config.firmwareName).toBe(MARLIN_2.detection.example);
    expect(config.rxBufferBytes).toBe(MARLIN_2.serial.receiveBufferBytes ?? 128);
    expect(config.commandBufferSlots).toBe(MARLIN_2.serial.commandBufferSlots);
    expect(config.maxLineLength).toBe(MARLIN_2.serial.maxLineLength);
    expect(config.capabilities.advancedOk).toBe(MARLIN_2.capabilities.ADVANCED_OK ?? false);
  });

  it("explains bad values", () => {
    expect(usageError(["--baud-pace", "fast", "--link", "x"])).toBe(
      "--baud-pace must be an integer >= 1 (got 'fast')",
    );
    expect(usageError(["--link", "x", "--drop-ok", "2"])).toBe(
      "--drop-ok must be a ratio between 0 and 1 (got '2')",
    );
    expect(usageError(["--link", "x", "--speed", "-1"])).toBe("--speed must be a number >= 0 (got '-1')");
    expect(usageError(["--link", "x", "--frobnicate"])).toBe("unknown option '--frobnicate'");
    expect(usageError(["--link"])).toBe("--link needs a value");
    expect(usageError(["--speed", "2"])).toBe("--link PATH is required");
    expect(usageError(["--link", "x", "--profile", "../etc/passwd"])).toMatch(
      /--profile must be a profile name/,
    );
    expect(usageError(["--link", "x", "--advanced-ok=1"])).toBe("--advanced-ok takes no value");
  });

  it("allows --help without --link", () => {
    expect(parseSimArgs(["--help"]).help).toBe(true);
  });
});
