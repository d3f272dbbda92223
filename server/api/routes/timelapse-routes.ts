import { z } from "zod";
import type { TimelapseVideo } from "../../camera/timelapse/timelapse-library.ts";
import { TIMELAPSE_PATCH } from "../../jobs/settings/camera-settings-schema.ts";
import { HostError } from "../../util/errors.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { TimelapseDto, TimelapseSettingsDto, TimelapsesResponse } from "../contract.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { jsonBody, queryOf } from "../v1/request-input.ts";
import { mediaOf, sendMediaFile } from "./media.ts";
import { timelapseUrls } from "./timelapse-urls.ts";

const PLAY = z.strictObject({ download: z.enum(["1", "true"]).optional() });

export function timelapseDto(video: TimelapseVideo): TimelapseDto {
  const { url, posterUrl } = timelapseUrls(video.name);
  const { poster, ...rest } = video;
  return { ...rest, url, downloadUrl: `${url}?download=1`, posterUrl: poster === null ? null : posterUrl };
}

function nameParam(params: Record<string, string | string[] | undefined>, key = "name"): string {
  const value = params[key];
  if (typeof value !== "string") throw new HostError("BAD_NAME", `missing ${key}`);
  return value;
}

/**
 * Time-lapses: viewers list, play and download (`camera:read`); operators change the settings,
 * render and delete (`camera:write`).
 */
export function timelapseRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  const { settings } = deps;

  routes.add({
    method: "get",
    path: "/api/v1/timelapse/settings",
    access: "camera:read",
    summary: "How time-lapses are taken and rendered",
    handler: ({ res }) => {
      const body: TimelapseSettingsDto = settings.get().timelapse;
      res.json(body);
    },
  });

  routes.add({
    method: "patch",
    path: "/api/v1/timelapse/settings",
    access: "camera:write",
    summary:
      "Change some time-lapse settings (mode off|layer|timed, stabilize, fps, post-roll, …); the result",
    handler: async ({ req, res }) => {
      const patch = jsonBody(req, TIMELAPSE_PATCH);
      const body: TimelapseSettingsDto = (await settings.update({ timelapse: patch })).timelapse;
      res.json(body);
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/timelapses",
    access: "camera:read",
    summary: "Rendered time-lapses (newest first), unrendered frame sets, renders under way",
    handler: async ({ res }) => {
      const { library, timelapses } = mediaOf(deps);
      const recording = timelapses.recording;
      const body: TimelapsesResponse = {
        videos: (await library.list()).map(timelapseDto),
        unrendered: await library.unrendered(recording?.set ?? null),
        rendering: timelapses.rendering(),
        recording,
      };
      res.json(body);
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/timelapses/:name/poster",
    access: "camera:read",
    summary: "A time-lapse's poster image (its last frame)",
    handler: async ({ req, res }) => {
      const poster = mediaOf(deps).library.posterPath(nameParam(req.params));
      await sendMediaFile(res, poster, { contentType: "image/jpeg", download: false });
    },
  });

  routes.add({
    method: "get",
    path: "/api/v1/timelapses/:name",
    access: "camera:read",
    summary: "A time-lapse MP4, inline or with ?download=1 as an attachment; HTTP Range for seeking",
    handler: async ({ req, res }) => {
      const { library } = mediaOf(deps);
      const { download } = queryOf(req, PLAY);
      await sendMediaFile(res, library.videoPath(nameParam(req.params)), {
        contentType: "video/mp4",
        download: download !== undefined,
      });
    },
  });

  routes.add({
    method: "delete",
    path: "/api/v1/timelapses/:name",
    access: "camera:write",
    summary: "Delete a time-lapse (video, poster)",
    handler: async ({ req, res }) => {
      await mediaOf(deps).library.remove(nameParam(req.params));
      res.status(204).end();
    },
  });

  routes.add({
    method: "post",
    path: "/api/v1/timelapses/unrendered/:id/render",
    access: "camera:write",
    summary: "Render an unrendered frame set now (even during a print); the video once rendered",
    handler: async ({ req, res }) => {
      const video = await mediaOf(deps).timelapses.renderUnrendered(nameParam(req.params, "id"));
      res.status(201).json(timelapseDto(video));
    },
  });

  routes.add({
    method: "delete",
    path: "/api/v1/timelapses/unrendered/:id",
    access: "camera:write",
    summary: "Delete an unrendered frame set",
    handler: async ({ req, res }) => {
      await mediaOf(deps).timelapses.removeUnrendered(nameParam(req.params, "id"));
      res.status(204).end();
    },
  });
}
