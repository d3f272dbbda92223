import { z } from "zod";
import type { TimelapseConfig } from "../../camera/timelapse/timelapse-config.ts";
import type { TimelapseVideo, UnrenderedSet } from "../../camera/timelapse/timelapse-library.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { mediaOf, sendMediaFile } from "../routes/media.ts";
import { parseInput } from "../validate.ts";
import { octoBoolean } from "./form-values.ts";
import { baseUrl, type OctoContext } from "./octoprint-context.ts";

/** OctoPrint's timelapse config (`type` off|zchange|timed); `zchange` is our layer mode. */
const CONFIG = z.object({
  type: z.enum(["off", "zchange", "timed"]),
  interval: z.coerce.number().min(1).max(3600).optional(),
  postRoll: z.coerce.number().min(0).max(60).optional(),
  fps: z.coerce.number().int().min(1).max(60).optional(),
  minDelay: z.coerce.number().min(0).max(600).optional(),
  save: z.unknown().optional(),
});

const COMMAND = z.object({ command: z.literal("render") });

/** `1.2MB`, as OctoPrint's get_formatted_size. */
function formattedSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)}${units[unit]}`;
}

/** `2026-11-26 14:30`, OctoPrint's date format (server time). */
function formattedDate(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

function octoConfig(config: TimelapseConfig): Record<string, unknown> {
  const common = { postRoll: config.postRollSeconds, fps: config.fps };
  if (config.mode === "timed") return { type: "timed", interval: config.intervalSeconds, ...common };
  if (config.mode === "layer")
    return { type: "zchange", retractionZHop: 0, minDelay: config.minIntervalSeconds, ...common };
  return { type: "off" };
}

/**
 * OctoPrint's `/api/timelapse` (list, configure, delete, render or delete unrendered) and
 * `/downloads/timelapse/<name>`, on the same library and settings as the own API.
 */
export function timelapseRoutes(routes: RouteRegistry, ctx: OctoContext): void {
  const { deps } = ctx;

  const listing = async (base: string) => {
    const { library, timelapses } = mediaOf(deps);
    const config = deps.settings.get().timelapse;
    const recording = timelapses.recording;
    const rendering = new Set(timelapses.rendering().map((r) => r.set));
    const file = (v: TimelapseVideo) => ({
      name: v.name,
      size: formattedSize(v.bytes),
      bytes: v.bytes,
      date: formattedDate(v.createdAt),
      timestamp: Math.floor(v.createdAt / 1000),
      url: `${base}/downloads/timelapse/${encodeURIComponent(v.name)}`,
      thumbnail: v.poster === null ? null : `${base}/downloads/timelapse/${encodeURIComponent(v.poster)}`,
    });
    const unrendered = (s: UnrenderedSet) => ({
      name: s.id,
      size: `${s.frames} frames`,
      bytes: 0,
      date: formattedDate(s.modifiedAt),
      timestamp: Math.floor(s.modifiedAt / 1000),
      recording: recording?.set === s.id,
      rendering: rendering.has(s.id),
      processing: rendering.has(s.id),
    });
    return {
      config: octoConfig(config),
      enabled: config.mode !== "off",
      files: (await library.list()).map(file),
      unrendered: (await library.unrendered(null)).map(unrendered),
    };
  };

  routes.add({
    method: "get",
    path: "/api/timelapse",
    access: "camera:read",
    summary: "OctoPrint: time-lapses, unrendered frame sets and the configuration",
    handler: async ({ req, res }) => {
      res.json(await listing(baseUrl(req)));
    },
  });

  routes.add({
    method: "post",
    path: "/api/timelapse",
    access: "camera:write",
    summary:
      "OctoPrint: change the time-lapse configuration (type off|zchange|timed, interval, postRoll, fps)",
    handler: async ({ req, res }) => {
      const input = parseInput(CONFIG, req.body ?? {});
      const mode = input.type === "zchange" ? "layer" : input.type;
      await deps.settings.update({
        timelapse: {
          mode,
          ...(input.interval !== undefined ? { intervalSeconds: input.interval } : {}),
          ...(input.postRoll !== undefined ? { postRollSeconds: input.postRoll } : {}),
          ...(input.fps !== undefined ? { fps: input.fps } : {}),
          ...(input.minDelay !== undefined ? { minIntervalSeconds: input.minDelay } : {}),
        },
      });
      // `save` is accepted for compatibility: every change here is saved.
      void octoBoolean(input.save);
      res.json(await listing(baseUrl(req)));
    },
  });

  routes.add({
    method: "delete",
    path: "/api/timelapse/:name",
    access: "camera:write",
    summary: "OctoPrint: delete a time-lapse",
    handler: async ({ req, res }) => {
      await mediaOf(deps).library.remove(String(req.params.name));
      res.json(await listing(baseUrl(req)));
    },
  });

  routes.add({
    method: "post",
    path: "/api/timelapse/unrendered/:name",
    access: "camera:write",
    summary: "OctoPrint: render an unrendered time-lapse ({command: render})",
    handler: ({ req, res }) => {
      parseInput(COMMAND, req.body ?? {});
      const id = String(req.params.name);
      const { timelapses, library } = mediaOf(deps);
      // Answered at once, as OctoPrint does; the render's outcome arrives as push events.
      return library.openSet(id).then(() => {
        void timelapses.renderUnrendered(id).catch(() => {});
        res.status(204).end();
      });
    },
  });

  routes.add({
    method: "delete",
    path: "/api/timelapse/unrendered/:name",
    access: "camera:write",
    summary: "OctoPrint: delete an unrendered time-lapse",
    handler: async ({ req, res }) => {
      await mediaOf(deps).timelapses.removeUnrendered(String(req.params.name));
      res.json(await listing(baseUrl(req)));
    },
  });

  routes.add({
    method: "get",
    path: "/downloads/timelapse/:name",
    access: "camera:read",
    summary: "OctoPrint: download a time-lapse (or its poster); HTTP Range for seeking",
    handler: async ({ req, res }) => {
      const { library } = mediaOf(deps);
      const name = String(req.params.name);
      if (name.endsWith(".jpg")) {
        const poster = library.posterPath(name.replace(/\.jpg$/, ".mp4"));
        await sendMediaFile(res, poster, { contentType: "image/jpeg", download: false });
        return;
      }
      await sendMediaFile(res, library.videoPath(name), { contentType: "video/mp4", download: true });
    },
  });
}
