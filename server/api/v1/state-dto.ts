import type { TemperatureReport } from "../../gcode/responses/types.ts";
import type { JobProgress } from "../../jobs/control/running-job.ts";
import type { EngineSnapshot, FirmwareSummary } from "../../jobs/engine/engine.ts";
import type { RecoveryPoint } from "../../jobs/recovery/recovery-point.ts";
import type {
  CurrentJobDto,
  FirmwareDto,
  InterruptedDto,
  PrinterStateResponse,
  ProgressDto,
  TemperaturesDto,
} from "../contract.ts";

/** The engine's picture as the API shows it: plain, 1-based where people count, no profile internals. */

export function firmwareDto(firmware: FirmwareSummary): FirmwareDto {
  return {
    name: firmware.name,
    fields: firmware.fields,
    profile: { id: firmware.profile.id, name: firmware.profile.name },
    capabilities: firmware.capabilities,
    port: firmware.port,
    baudRate: firmware.baudRate,
  };
}

export function temperaturesDto(report: TemperatureReport): TemperaturesDto {
  const out: TemperaturesDto = {};
  for (const [key, reading] of Object.entries(report)) {
    out[key] = {
      actual: reading.actual,
      target: reading.target,
      ...(reading.power !== undefined ? { power: reading.power } : {}),
    };
  }
  return out;
}

export function progressDto(progress: JobProgress, now: number): ProgressDto {
  return {
    file: progress.file,
    jobId: progress.jobId,
    bytes: progress.bytes,
    totalBytes: progress.totalBytes,
    percent: Math.round(progress.fraction * 1000) / 10,
    lines: progress.lines,
    layer: progress.layer,
    layers: progress.layers,
    z: progress.z,
    elapsedSeconds: progress.elapsedSeconds,
    printingSeconds: progress.printingSeconds,
    eta: {
      remainingSeconds: progress.eta.remainingSeconds,
      plusMinusSeconds: progress.eta.plusMinusSeconds,
      paceFactor: progress.eta.paceFactor,
      finishesAt: Math.round(now + progress.eta.remainingSeconds * 1000),
    },
  };
}

export function currentJobDto(job: EngineSnapshot["job"], now: number): CurrentJobDto | null {
  if (job === null) return null;
  return {
    file: job.file,
    pausedBy: job.pausedBy,
    progress: job.progress === null ? null : progressDto(job.progress, now),
  };
}

/** The recovery point's 0-based layer index as the 1-based layer a maker reads on the printer. */
export function interruptedDto(point: RecoveryPoint | null): InterruptedDto | null {
  if (point === null) return null;
  return {
    file: point.file,
    jobId: point.jobId,
    state: point.state,
    reason: point.reason,
    layer: point.layer + 1,
    layerCount: point.layerCount,
    z: point.z,
    startedAt: point.startedAt,
    updatedAt: point.updatedAt,
  };
}

export function printerStateDto(snapshot: EngineSnapshot, now: number): PrinterStateResponse {
  return {
    state: snapshot.state,
    stateReason: snapshot.stateReason,
    firmware: snapshot.firmware === null ? null : firmwareDto(snapshot.firmware),
    temperatures: temperaturesDto(snapshot.temperatures),
    job: currentJobDto(snapshot.job, now),
    interrupted: interruptedDto(snapshot.interrupted),
  };
}

/**
 * At most `max` (≥ 2) samples per heater, evenly spaced with the first and last kept, in time order:
 * a 3-hour print has ~10 000 samples per heater, far more than a phone's graph has pixels.
 */
export function thinSamples<S extends { heater: string }>(samples: readonly S[], max: number): S[] {
  const totals = new Map<string, number>();
  for (const s of samples) totals.set(s.heater, (totals.get(s.heater) ?? 0) + 1);
  const kept = new Map<string, Set<number>>();
  for (const [heater, total] of totals) {
    if (total <= max) continue;
    const indices = new Set<number>();
    for (let j = 0; j < max; j++) indices.add(Math.round((j * (total - 1)) / (max - 1)));
    kept.set(heater, indices);
  }
  if (kept.size === 0) return [...samples];
  const seen = new Map<string, number>();
  return samples.filter((s) => {
    const index = seen.get(s.heater) ?? 0;
    seen.set(s.heater, index + 1);
    return kept.get(s.heater)?.has(index) ?? true;
  });
}
