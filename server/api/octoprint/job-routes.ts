import { z } from "zod";
import type { FileEntry } from "../../jobs/files/file-store-types.ts";
import { HostError, isHostError } from "../../util/errors.ts";
import { namespaced } from "../../util/log.ts";
import { type RouteRegistry, userOf } from "../route-registry.ts";
import { settleWithin } from "../v1/dispatch.ts";
import { jsonBody } from "../v1/request-input.ts";
import { octoJob } from "./job-map.ts";
import type { OctoContext } from "./octoprint-context.ts";
import { STATE_TEXT } from "./state-map.ts";

const JOB_COMMAND = z.discriminatedUnion("command", [
  z.object({ command: z.literal("start") }),
  z.object({ command: z.literal("cancel") }),
  z.object({ command: z.literal("restart") }),
  // A bare pause toggles, as in OctoPrint.
  z.object({ command: z.literal("pause"), action: z.enum(["pause", "resume", "toggle"]).default("toggle") }),
]);

/** How long a job command waits for the engine to refuse it before answering 204. */
const JOB_GRACE_MS = 1000;

function conflict(message: string): HostError {
  return new HostError("INVALID_STATE", message);
}

/** `/api/job`: the printing or selected file with progress; start, cancel, restart, pause/resume. */
export function jobRoutes(routes: RouteRegistry, ctx: OctoContext): void {
  const { deps, selection } = ctx;
  const { engine, files } = deps;
  const log = namespaced(deps.log, "octoprint");
  const settle = (task: Promise<unknown>, what: string) => settleWithin(task, JOB_GRACE_MS, log, what);

  routes.add({
    method: "get",
    path: "/api/job",
    access: "state:read",
    summary: "OctoPrint: the current or selected file, progress (completion in %) and state text",
    handler: async ({ res }) => {
      const snapshot = engine.snapshot();
      const path = selection.file;
      let entry: FileEntry | null = null;
      if (path !== null) {
        entry = await files.get(path).catch((err: unknown) => {
          if (isHostError(err, "NOT_FOUND") || isHostError(err, "BAD_NAME")) return null;
          throw err;
        });
      }
      res.json(
        octoJob({
          state: STATE_TEXT[snapshot.state],
          path,
          entry,
          progress: snapshot.job?.progress ?? null,
          active: snapshot.job !== null,
          user: selection.user,
          error: snapshot.state === "error" ? snapshot.stateReason : null,
        }),
      );
    },
  });

  routes.add({
    method: "post",
    path: "/api/job",
    access: "print:control",
    summary: "OctoPrint: start the selected file, cancel, restart a paused print, pause/resume/toggle",
    handler: async (route) => {
      const body = jsonBody(route.req, JOB_COMMAND);
      const { state } = engine.snapshot();
      switch (body.command) {
        case "start": {
          if (!selection.ready()) throw conflict(`Printer is not ready to start a print (${state})`);
          const file = selection.file;
          if (file === null) throw conflict("No file selected: upload or select one first");
          await settle(selection.startPrint(file, userOf(route).name), `print ${file}`);
          break;
        }
        case "cancel":
          if (!["printing", "pausing", "paused", "resuming"].includes(state))
            throw conflict(`No active print job to cancel (${state})`);
          await settle(engine.cancel(`cancelled by ${userOf(route).name}`), "cancel");
          break;
        case "restart": {
          const file = selection.file;
          if (state !== "paused" || file === null)
            throw conflict(`Only a paused print can be restarted (${state})`);
          const user = userOf(route).name;
          const restart = async () => {
            await engine.cancel(`restarted by ${user}`);
            await selection.startPrint(file, user);
          };
          await settle(restart(), `restart ${file}`);
          break;
        }
        case "pause": {
          const pause = state === "printing" && body.action !== "resume";
          const resume = state === "paused" && body.action !== "pause";
          if (pause) await settle(engine.pause(), "pause");
          else if (resume) await settle(engine.resume(), "resume");
          else if (body.action === "toggle" || !["printing", "pausing", "paused", "resuming"].includes(state))
            throw conflict(`Cannot ${body.action} now: the printer is ${state}`);
          // pause while pausing or paused, resume while printing or resuming: already so.
          break;
        }
      }
      route.res.status(204).end();
    },
  });
}
