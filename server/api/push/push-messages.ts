import { permissionsOf } from "../../auth/roles.ts";
import type { JobOutcome } from "../../jobs/control/job-ports.ts";
import type { EngineError, EngineSnapshot, FirmwareSummary } from "../../jobs/engine/engine.ts";
import type { RecoveryPoint } from "../../jobs/recovery/recovery-point.ts";
import type { PushEvent, PushFirmware, PushSnapshot } from "../contract.ts";
import type { RequestIdentity } from "../identify.ts";
import { interruptedDto } from "../v1/state-dto.ts";

/** Engine data as the push contract shapes it: plain data, nothing a phone does not show. */

export function pushFirmware(firmware: FirmwareSummary): PushFirmware {
  return {
    name: firmware.name,
    profile: firmware.profile.id,
    port: firmware.port,
    baudRate: firmware.baudRate,
    capabilities: firmware.capabilities,
  };
}

export function snapshotMessage(
  snapshot: EngineSnapshot,
  identity: RequestIdentity,
  terminal: boolean,
  at: number,
): PushSnapshot {
  const { job } = snapshot;
  return {
    at,
    user: { name: identity.name, role: identity.role },
    permissions: permissionsOf(identity.role),
    terminal,
    state: snapshot.state,
    stateReason: snapshot.stateReason,
    firmware: snapshot.firmware === null ? null : pushFirmware(snapshot.firmware),
    temperatures: snapshot.temperatures,
    job:
      job === null
        ? null
        : {
            file: job.file,
            pausedBy: job.pausedBy,
            progress: job.progress === null ? null : { ...job.progress, at },
          },
    interrupted: snapshot.interrupted === null ? null : interruptedDto(snapshot.interrupted),
  };
}

export function finishedEvent(outcome: JobOutcome, at: number): PushEvent {
  return {
    type: outcome.result,
    at,
    jobId: outcome.jobId,
    file: outcome.file,
    reason: outcome.reason,
    lines: outcome.lines,
    seconds: outcome.seconds,
  };
}

export function interruptedEvent(point: RecoveryPoint | null, at: number): PushEvent {
  const recovery = interruptedDto(point);
  return recovery === null ? { type: "recoveryCleared", at } : { type: "recoveryAvailable", at, recovery };
}

export function errorEvent(error: EngineError, at: number): PushEvent {
  return { type: "error", at, code: error.code, message: error.message };
}
