/** One time-lapse: poster, inline player, download, share, delete. */

import { useState } from "preact/hooks";
import type { TimelapseDto } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { attempt, usePermission } from "../state/live.ts";
import { bytes, dateTime, duration } from "../util/format.ts";
import { ShareButton } from "./share-button.tsx";

export function VideoCard({ video, onChanged }: { video: TimelapseDto; onChanged?: () => void }) {
  const canWrite = usePermission("camera:write");
  const [playing, setPlaying] = useState(false);
  return (
    <li class="card video-card" data-testid="timelapse-row" data-name={video.name}>
      {playing ? (
        // biome-ignore lint/a11y/useMediaCaption: time-lapses have no sound or speech
        <video
          class="video"
          src={video.url}
          poster={video.posterUrl ?? undefined}
          controls
          playsInline
          preload="metadata"
          autoplay
          data-testid="timelapse-video"
          aria-label={`Time-lapse of ${video.file ?? video.name}`}
        />
      ) : (
        <button
          type="button"
          class="poster-button"
          data-testid="timelapse-play"
          aria-label={`Play the time-lapse of ${video.file ?? video.name}`}
          onClick={() => setPlaying(true)}
        >
          {video.posterUrl ? <img class="video" src={video.posterUrl} alt="" loading="lazy" /> : null}
          <span class="play-icon" aria-hidden="true">
            ▶
          </span>
        </button>
      )}
      <p class="file-name" title={video.file ?? video.name} data-testid="timelapse-name">
        {video.file ?? video.name}
      </p>
      <p class="small muted">
        {dateTime(video.createdAt)} · {duration(video.durationSeconds)} · {bytes(video.bytes)}
        {video.outcome ? ` · ${video.outcome}` : ""}
      </p>
      <div class="row wrap">
        <a
          class="btn btn-plain"
          href={video.downloadUrl}
          download={video.name}
          data-testid="timelapse-download"
          aria-label={`Download ${video.name}`}
        >
          Download
        </a>
        <ShareButton url={video.url} name={video.name} />
        {canWrite && onChanged ? (
          <ActionButton
            testid="timelapse-delete"
            label={`Delete ${video.name}`}
            confirm={`Delete the time-lapse ${video.name}?`}
            confirmYes="Delete"
            onClick={async () => {
              if (await attempt(() => api.deleteTimelapse(video.name), "Deleted")) onChanged?.();
            }}
          >
            Delete
          </ActionButton>
        ) : null}
      </div>
    </li>
  );
}
