import { MJPEG_CONTENT_TYPE } from "../../camera/live/multipart.ts";
import type { ApiDeps } from "../api-deps.ts";
import type { CameraStatusResponse } from "../contract.ts";
import type { RouteRegistry } from "../route-registry.ts";
import { mediaOf } from "./media.ts";

export const CAMERA_STREAM_PATH = "/api/v1/camera/stream";
export const CAMERA_SNAPSHOT_PATH = "/api/v1/camera/snapshot";

/**
 * The live camera behind the same access control as everything else (`camera:read`: viewers too).
 * The stream is the camera's own MJPEG, untouched, shared from one upstream connection.
 */
export function cameraRoutes(routes: RouteRegistry, deps: ApiDeps): void {
  routes.add({
    method: "get",
    path: "/api/v1/camera",
    access: "camera:read",
    summary: "The camera's state and its stream and snapshot URLs",
    handler: ({ res }) => {
      const body: CameraStatusResponse = {
        ...mediaOf(deps).camera.status(),
        streamUrl: CAMERA_STREAM_PATH,
        snapshotUrl: CAMERA_SNAPSHOT_PATH,
      };
      res.json(body);
    },
  });

  routes.add({
    method: "get",
    path: CAMERA_SNAPSHOT_PATH,
    access: "camera:read",
    summary: "One JPEG from the camera",
    handler: async ({ res }) => {
      const jpeg = await mediaOf(deps).camera.snapshot();
      res.set({ "Content-Type": "image/jpeg", "Cache-Control": "no-store" }).send(jpeg);
    },
  });

  routes.add({
    method: "get",
    path: CAMERA_STREAM_PATH,
    access: "camera:read",
    summary: "The live view: multipart/x-mixed-replace MJPEG (an <img> source)",
    handler: ({ res }) => {
      const { camera } = mediaOf(deps);
      res.status(200).set({
        "Content-Type": MJPEG_CONTENT_TYPE,
        "Cache-Control": "no-store",
        Pragma: "no-cache",
        "X-Accel-Buffering": "no",
      });
      res.flushHeaders();
      camera.attach(res);
    },
  });
}
