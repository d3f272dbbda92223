import { type FlowRequest, resolveFlowControl } from "../gcode/flow-control.ts";
import { parseFirmwareInfo } from "../gcode/responses/firmware-info.ts";
import type { SendWindow } from "../gcode/send-window.ts";
import { HostError, isHostError } from "../util/errors.ts";
import type { Logger } from "../util/log.ts";
import { applyCapabilities, detectFirmwareProfile } from "./firmware-profile.ts";
import type { FirmwareProfile } from "./firmware-profile-types.ts";
import type { FirmwareInfo } from "./printer.ts";

export interface HandshakeResult {
  firmware: FirmwareInfo;
  flow: FlowRequest;
}

/** Profile used when M115 names nothing we know: the most common family, with ping-pong. */
const FALLBACK_PROFILE = "marlin-2";

/**
 * Hello (`N0 M110 N0*125`: the firmware now expects line 1), then M115 for the firmware's name and
 * `Cap:` lines, then the profile: the user's choice, else the best detection match. Returns null when
 * nothing answers (wrong baud rate, no firmware): the window has given up by then.
 */
export async function handshake(
  window: SendWindow,
  profiles: readonly FirmwareProfile[],
  options: { profile?: string; flow?: FlowRequest },
  log: Logger,
): Promise<HandshakeResult | null> {
  try {
    await window.renumber(0);
  } catch (err) {
    if (isHostError(err, "TIMEOUT")) return null;
    throw err;
  }
  let name: string | null = null;
  let fields: Record<string, string> = {};
  const reported: Record<string, boolean> = {};
  const off = window.on("response", (response, raw) => {
    // Klipper acknowledges first: `ok FIRMWARE_NAME:Klipper FIRMWARE_VERSION:v0.12.0` (klippy/gcode.py cmd_M115).
    const info =
      response.kind === "ok"
        ? parseFirmwareInfo(raw.trim())
        : response.kind === "firmware-info"
          ? response
          : null;
    if (info !== null) {
      name = info.firmwareName;
      fields = info.fields;
    } else if (response.kind === "capability") {
      reported[response.name] = response.enabled;
    }
  });
  try {
    await window.send("M115");
  } catch (err) {
    if (isHostError(err, "TIMEOUT")) return null;
    throw err;
  } finally {
    off();
  }
  const firmwareName: string = name ?? "unknown firmware";
  const profile = pickProfile(profiles, firmwareName, options.profile, log);
  const capabilities = applyCapabilities(profile, reported);
  const flow = options.flow ?? profile.serial.flowControl;
  window.reconfigure({
    flow: resolveFlowControl(flow, {
      advancedOk: capabilities.ADVANCED_OK === true,
      receiveBufferBytes: profile.serial.receiveBufferBytes,
      commandBufferSlots: profile.serial.commandBufferSlots,
      largestBufferFree: null,
    }),
    numbering: profile.serial.checksum,
    maxLineLength: profile.serial.maxLineLength,
    okAfterResend: profile.serial.okAfterResend,
    emergencyParser: capabilities.EMERGENCY_PARSER === true,
    longRunningCommands: profile.longRunningCommands,
  });
  return { firmware: { name: firmwareName, fields, profile, capabilities }, flow };
}

function pickProfile(
  profiles: readonly FirmwareProfile[],
  firmwareName: string,
  override: string | undefined,
  log: Logger,
): FirmwareProfile {
  if (override !== undefined) {
    const chosen = profiles.find((p) => p.id === override);
    if (chosen === undefined) {
      const known = profiles.map((p) => p.id).join(", ");
      throw new HostError("CONFIG", `unknown firmware profile '${override}' (known: ${known})`);
    }
    return chosen;
  }
  const detected = detectFirmwareProfile([...profiles], firmwareName);
  if (detected !== null) return detected;
  const fallback = profiles.find((p) => p.id === FALLBACK_PROFILE) ?? profiles[0];
  if (fallback === undefined) throw new HostError("CONFIG", "no firmware profiles are installed");
  log.warn({ firmwareName, profile: fallback.id }, "unknown firmware; using the fallback profile");
  // Nothing is known about its buffers, so auto must not send ahead.
  return { ...fallback, serial: { ...fallback.serial, flowControl: "ping-pong", receiveBufferBytes: null } };
}
