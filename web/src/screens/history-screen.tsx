/** History: past prints (result, duration, filament); tap one for its graph and time-lapse. */

import { useCallback, useEffect, useState } from "preact/hooks";
import type { HistoryJobDto, Page } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { HistoryDetail } from "../history/history-detail.tsx";
import { useLive } from "../state/live.ts";
import { dateTime, duration, filament } from "../util/format.ts";

const PAGE = 30;

export function HistoryScreen({ jobId }: { jobId: number | null }) {
  const [page, setPage] = useState<Page<HistoryJobDto> | null>(null);
  const [offset, setOffset] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const version = useLive((s) => s.libraryVersion);

  const load = useCallback(async () => {
    try {
      setPage(await api.history(PAGE, offset));
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [offset]);
  useEffect(() => {
    if (jobId === null) void load();
  }, [load, version, jobId]);

  if (jobId !== null && Number.isInteger(jobId) && jobId > 0) return <HistoryDetail jobId={jobId} />;
  return (
    <div class="stack">
      <ErrorAlert error={error} />
      {page && page.items.length === 0 ? (
        <p class="muted" data-testid="history-empty">
          Nothing printed yet.
        </p>
      ) : null}
      <ul class="list">
        {page?.items.map((j) => (
          <li key={j.id}>
            <a
              href={`#/history/${j.id}`}
              class="card history-row"
              data-testid="history-row"
              data-job={j.id}
              aria-label={`${j.file}, ${j.status}`}
            >
              <span class="file-name">{j.file}</span>
              <span class={`result result-${j.status}`} data-testid="history-status">
                {j.status}
              </span>
              <span class="small muted">
                {dateTime(j.startedAt)} · {j.durationMs === null ? "–" : duration(j.durationMs / 1000)} ·{" "}
                {filament(j.filamentMm)}
              </span>
            </a>
          </li>
        ))}
      </ul>
      {page && page.total > PAGE ? (
        <div class="row between">
          <button
            type="button"
            class="btn btn-plain"
            disabled={offset === 0}
            data-testid="history-newer"
            aria-label="Newer prints"
            onClick={() => setOffset(Math.max(0, offset - PAGE))}
          >
            ← Newer
          </button>
          <span class="small muted">
            {offset + 1}–{Math.min(offset + PAGE, page.total)} of {page.total}
          </span>
          <button
            type="button"
            class="btn btn-plain"
            disabled={offset + PAGE >= page.total}
            data-testid="history-older"
            aria-label="Older prints"
            onClick={() => setOffset(offset + PAGE)}
          >
            Older →
          </button>
        </div>
      ) : null}
    </div>
  );
}
