import path from "node:path";
import type { Logger } from "../../util/log.ts";
import { renderPoster } from "../render/poster.ts";
import { RenderQueue } from "../render/render-queue.ts";
import type { RenderedVideo, RenderRequest, TimelapseRenderer } from "./timelapse-service.ts";

export interface RendererDeps {
  log: Logger;
  /** False while a print runs: renders wait for it to end unless urgent. */
  canRun: () => boolean;
}

/**
 * The time-lapse service's renderer: the render queue (one ffmpeg at a time, low priority, held
 * during prints), then the poster from the set's last frame.
 */
export function createRenderer(deps: RendererDeps): TimelapseRenderer {
  const queue = new RenderQueue({ log: deps.log, canRun: deps.canRun });
  const listeners = new Map<string, (fraction: number) => void>();
  queue.on("progress", (id, fraction) => listeners.get(id)?.(fraction));
  return {
    render: async (request: RenderRequest): Promise<RenderedVideo> => {
      const { config } = request;
      const id = path.basename(request.framesDir);
      listeners.set(id, request.onProgress);
      try {
        const result = await queue.enqueue({
          id,
          input: request.framesDir,
          urgent: request.urgent,
          options: {
            output: request.output,
            fps: config.fps,
            postRollSeconds: config.postRollSeconds,
            maxWidth: config.maxWidth,
            maxHeight: config.maxHeight,
            encoder: config.encoder,
          },
        });
        // A video without a poster is still a video.
        await renderPoster(request.framesDir, request.poster, {}, { log: deps.log }).catch((err: unknown) =>
          deps.log.warn({ err, poster: request.poster }, "cannot make the time-lapse's poster"),
        );
        const { frames, durationSeconds, width, height, encoder } = result;
        return { frames, durationSeconds, width, height, encoder };
      } finally {
        listeners.delete(id);
      }
    },
    poke: () => queue.poke(),
    stop: () => queue.stop(),
  };
}
