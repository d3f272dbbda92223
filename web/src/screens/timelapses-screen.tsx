/** Time-lapses: rendered videos, renders under way, unrendered frame sets. */

import { useCallback, useEffect, useState } from "preact/hooks";
import type { TimelapsesResponse } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { ErrorAlert } from "../components/error-alert.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";
import { VideoCard } from "../timelapses/video-card.tsx";
import { dateTime } from "../util/format.ts";

export function TimelapsesScreen() {
  const [data, setData] = useState<TimelapsesResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const version = useLive((s) => s.libraryVersion);
  const canWrite = usePermission("camera:write");

  const load = useCallback(async () => {
    try {
      setData(await api.timelapses());
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, version]);
  useEffect(() => {
    if (!data?.rendering.length) return;
    const timer = setTimeout(() => void load(), 3000);
    return () => clearTimeout(timer);
  }, [data, load]);

  return (
    <div class="stack">
      <ErrorAlert error={error} />
      {data?.recording ? (
        <p class="card small" data-testid="timelapse-recording">
          Recording: {data.recording.frames} frames so far.
        </p>
      ) : null}
      {data?.rendering.map((r) => (
        <p key={r.set} class="card small" data-testid="timelapse-rendering">
          Rendering {r.name}: {Math.round(r.fraction * 100)}%
        </p>
      ))}
      {data && data.videos.length === 0 ? (
        <p class="muted" data-testid="timelapses-empty">
          No time-lapses yet. Turn them on in Settings.
        </p>
      ) : null}
      <ul class="list video-list">
        {data?.videos.map((v) => (
          <VideoCard key={v.name} video={v} onChanged={() => void load()} />
        ))}
      </ul>
      {data && data.unrendered.length > 0 ? (
        <section class="card" aria-label="Unrendered time-lapses">
          <h2>Not rendered</h2>
          <ul class="list">
            {data.unrendered.map((u) => (
              <li key={u.id} class="row wrap between" data-testid="unrendered-row">
                <span class="file-name">
                  {u.file} · {u.frames} frames · {dateTime(u.startedAt)}
                </span>
                {canWrite ? (
                  <span class="row">
                    <ActionButton
                      testid="unrendered-render"
                      label={`Render ${u.file}`}
                      onClick={() =>
                        attempt(() => api.renderUnrendered(u.id), "Rendering").then(() => load())
                      }
                    >
                      Render
                    </ActionButton>
                    <ActionButton
                      testid="unrendered-delete"
                      label={`Delete the frames of ${u.file}`}
                      confirm={`Delete the frames of ${u.file}?`}
                      confirmYes="Delete"
                      onClick={() => attempt(() => api.deleteUnrendered(u.id)).then(() => load())}
                    >
                      Delete
                    </ActionButton>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
