/**
 * A worker entry for worker-engine.test.ts: serves a scripted engine through the real EngineHost.
 * `print` asks the main thread's files first; `send("hang")` never answers; `send("crash")` throws
 * out of the worker's event loop. workerData `{ mode: "fail" }` fails the start instead.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { JobOutcome } from "../../../../server/jobs/control/job-ports.ts";
import type { Engine, EngineEvents, FirmwareSummary } from "../../../../server/jobs/engine/engine.ts";
import { EngineEventHub } from "../../../../server/jobs/engine/engine-event-hub.ts";
import { EngineHost } from "../../../../server/jobs/engine/engine-host.ts";
import type { EngineEventName } from "../../../../server/jobs/engine/engine-snapshot.ts";
import { HostError } from "../../../../server/util/errors.ts";
import { silentLogger } from "../../../../server/util/log.ts";

const refused = (what: string) => Promise.reject(new HostError("INVALID_STATE", `the fake cannot ${what}`));

function fakeEngine(host: EngineHost): Engine {
  const hub = new EngineEventHub(silentLogger());
  hub.reset({ ...hub.snapshot, state: "idle", stateReason: "fake" });
  return {
    snapshot: () => hub.snapshot,
    on: <K extends EngineEventName>(event: K, listener: (...args: EngineEvents[K]) => void) =>
      hub.on(event, listener),
    connect: () => refused("connect") as Promise<FirmwareSummary>,
    disconnect: () => refused("disconnect"),
    send: async (command) => {
      if (command === "hang") await new Promise(() => {});
      if (command === "crash")
        setImmediate(() => {
          throw new Error("boom");
        });
    },
    print: async (file) => {
      await host.files.describe(file);
      hub.publish({ event: "state", args: [{ from: "idle", to: "printing", reason: "print started" }] });
      hub.publish({ event: "started", args: [{ jobId: 1, file, user: null }] });
      return 1;
    },
    pause: () => refused("pause"),
    configure: () => refused("configure"),
    resume: () => refused("resume"),
    cancel: () => refused("cancel") as Promise<JobOutcome>,
    emergencyStop: () => refused("stop"),
    resumeInterrupted: () => refused("resume") as Promise<number>,
    discardInterrupted: () => refused("discard"),
    whenFinished: () => null,
    stop: async () => {},
  };
}

const port = parentPort;
if (port !== null) {
  const host = new EngineHost({ port, log: silentLogger() });
  host.start();
  if ((workerData as { mode: string }).mode === "fail") {
    host.fail(new HostError("DATABASE", "cannot open the history database", { path: "/nowhere" }));
  } else {
    host.serve(fakeEngine(host), async () => {});
  }
}
