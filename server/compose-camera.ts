import path from "node:path";
import { CameraService } from "./camera/camera-service.ts";
import { freeBytes } from "./camera/timelapse/disk-guard.ts";
import { TimelapseLibrary } from "./camera/timelapse/timelapse-library.ts";
import { TimelapseRecorder } from "./camera/timelapse/timelapse-recorder.ts";
import { createRenderer } from "./camera/timelapse/timelapse-renderer.ts";
import { TimelapseService } from "./camera/timelapse/timelapse-service.ts";
import { DEFAULT_STABILIZE, type JobCamera, type StabilizeSettings } from "./jobs/control/job-ports.ts";
import type { Engine, Unsubscribe } from "./jobs/engine/engine.ts";
import type { HistoryDb } from "./jobs/history/history-db.ts";
import type { Settings } from "./jobs/settings/settings-schema.ts";
import type { SettingsStore } from "./jobs/settings/settings-store.ts";
import type { PrinterState } from "./printer/state-machine.ts";
import { type Logger, namespaced } from "./util/log.ts";

/**
 * The camera and time-lapse parts of one daemon, on the main thread: the camera (live view and
 * snapshots), the time-lapse recorder fed by the engine's print events, renders after the print,
 * and the finished video linked to the job's history record. A failure here is logged and never
 * reaches the print stream.
 */

const RUNNING: readonly PrinterState[] = ["printing", "pausing", "paused", "resuming", "cancelling"];

export interface ComposeCameraDeps {
  dataDir: string;
  settings: SettingsStore;
  log: Logger;
}

export interface ComposedCamera {
  camera: CameraService;
  timelapses: TimelapseService;
  library: TimelapseLibrary;
  /** What the engine's job layer calls for a stabilized frame. */
  jobCamera: JobCamera;
  /** Binds to the engine and history (after the engine started); applies the settings to the engine. */
  start(engine: Engine, history: HistoryDb): Promise<void>;
  stop(): Promise<void>;
}

/** The job layer's stabilization from the settings: on in layer mode with stabilize and a camera. */
export function stabilizeFor(settings: Settings): StabilizeSettings | null {
  const { timelapse, camera, jobs } = settings;
  if (timelapse.mode !== "layer" || !timelapse.stabilize || !camera.enabled) return null;
  const cameraTimeout = camera.source.kind === "http" ? camera.source.timeoutMs : 5000;
  return {
    ...DEFAULT_STABILIZE,
    park: timelapse.park ?? jobs.park,
    retractMm: timelapse.retractMm,
    zHopMm: timelapse.zHopMm,
    captureTimeoutMs: cameraTimeout + 5000,
  };
}

export function composeCamera(deps: ComposeCameraDeps): ComposedCamera {
  const { dataDir, settings, log } = deps;
  const cameraLog = namespaced(log, "camera");
  const timelapseLog = namespaced(log, "timelapse");
  /** The engine once start() binds it: the print's progress and state are read from its snapshot. */
  let bound: Engine | null = null;
  const camera = new CameraService({
    config: settings.get().camera,
    log: cameraLog,
    printProgress: () => bound?.snapshot().job?.progress?.fraction ?? null,
  });
  const library = new TimelapseLibrary(path.join(dataDir, "timelapse"));
  const recorder = new TimelapseRecorder({
    framesDir: library.framesDir,
    snapshot: () => camera.snapshot(),
    freeBytes,
    config: () => settings.get().timelapse,
    log: timelapseLog,
  });
  const printing = () => bound !== null && RUNNING.includes(bound.snapshot().state);
  const renderer = createRenderer({ log: timelapseLog, canRun: () => !printing() });
  const timelapses = new TimelapseService({
    library,
    recorder,
    renderer,
    config: () => settings.get().timelapse,
    log: timelapseLog,
  });
  let off: Unsubscribe[] = [];
  return {
    camera,
    timelapses,
    library,
    jobCamera: { capture: () => timelapses.stabilizedFrame() },
    start: async (engine, history) => {
      bound = engine;
      camera.start();
      await timelapses.start();
      const quietly = (what: string) => (err: unknown) => timelapseLog.warn({ err }, what);
      const initial = stabilizeFor(settings.get());
      let stabilize = JSON.stringify(initial);
      await engine.configure({ stabilize: initial });
      off = [
        engine.on("state", () => timelapses.poke()),
        engine.on("started", (job) => {
          timelapses.printStarted(job).catch(quietly("cannot start the time-lapse"));
        }),
        engine.on("layer", (layer) => timelapses.layerChanged(layer)),
        engine.on("finished", (outcome) => {
          timelapses.printFinished(outcome.result).catch(quietly("cannot finish the time-lapse"));
        }),
        timelapses.on("warning", (warning) => {
          try {
            history.recordEvent({
              kind: "timelapse",
              message: warning.message,
              jobId: warning.jobId,
              data: { code: warning.code },
            });
          } catch (err) {
            timelapseLog.warn({ err }, "cannot record the time-lapse warning");
          }
        }),
        timelapses.on("rendered", (video) => {
          if (video.jobId === null) return;
          try {
            history.setTimelapse(video.jobId, video.name);
          } catch (err) {
            timelapseLog.warn({ err, jobId: video.jobId }, "cannot link the time-lapse to its job");
          }
        }),
        settings.on("change", (next) => {
          camera.reconfigure(next.camera).catch(quietly("the new camera settings could not be applied"));
          const now = JSON.stringify(stabilizeFor(next));
          if (now === stabilize) return;
          stabilize = now;
          engine
            .configure({ stabilize: stabilizeFor(next) })
            .catch(quietly("the new time-lapse settings could not be applied"));
        }),
      ];
    },
    stop: async () => {
      for (const unsubscribe of off) unsubscribe();
      off = [];
      await timelapses.stop();
      await camera.stop();
    },
  };
}
