/** One past print: facts, its temperature graph and its time-lapse. */

import { useEffect, useState } from "preact/hooks";
import type { HistoryJobResponse } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { Fact } from "../components/facts.tsx";
import { TempChart } from "../components/temp-chart.tsx";
import { seriesFromSamples } from "../state/live.ts";
import { dateTime, duration, filament } from "../util/format.ts";

export function HistoryDetail({ jobId }: { jobId: number }) {
  const [data, setData] = useState<HistoryJobResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setData(null);
    api.historyJob(jobId).then(setData, (e) => setError(errorMessage(e)));
  }, [jobId]);
  if (error) return <ErrorAlert error={error} />;
  if (!data) return <p class="muted">Loading…</p>;
  const { job } = data;
  return (
    <div class="stack" data-testid="history-detail">
      <a
        href="#/history"
        class="btn btn-plain back"
        data-testid="history-back"
        aria-label="Back to the history"
      >
        ← History
      </a>
      <section class="card">
        <h2 class="file-name" title={job.file}>
          {job.file}
        </h2>
        <dl class="facts">
          <Fact label="Result" testid="history-result">
            {job.status}
          </Fact>
          <Fact label="Started">{dateTime(job.startedAt)}</Fact>
          <Fact label="Duration">{job.durationMs === null ? "–" : duration(job.durationMs / 1000)}</Fact>
          <Fact label="Filament">{filament(job.filamentMm)}</Fact>
          <Fact label="By">{job.user ?? "–"}</Fact>
          <Fact label="Layers">{job.layers ?? "–"}</Fact>
        </dl>
        {job.reason ? <p class="muted small">{job.reason}</p> : null}
      </section>
      <section class="card" aria-label="Temperatures during the print">
        <h2>Temperatures</h2>
        {data.temperatures.length > 0 ? (
          <TempChart
            testid="history-chart"
            series={seriesFromSamples(data.temperatures)}
            version={jobId}
            label="Temperatures during the print"
          />
        ) : (
          <p class="muted">No temperature samples.</p>
        )}
      </section>
      {job.timelapse ? (
        <section class="card" aria-label="Time-lapse">
          <h2>Time-lapse</h2>
          {/* biome-ignore lint/a11y/useMediaCaption: time-lapses have no sound or speech */}
          <video
            class="video"
            src={job.timelapse.url}
            poster={job.timelapse.posterUrl}
            controls
            playsInline
            preload="metadata"
            data-testid="timelapse-video"
            aria-label={`Time-lapse of ${job.file}`}
          />
          <a
            class="btn btn-plain"
            href={`${job.timelapse.url}?download=1`}
            download={job.timelapse.name}
            data-testid="timelapse-download"
            aria-label={`Download the time-lapse of ${job.file}`}
          >
            Download
          </a>
        </section>
      ) : null}
      {data.events.length > 0 ? (
        <section class="card" aria-label="Events">
          <h2>Events</h2>
          <ul class="events">
            {data.events.map((e) => (
              <li key={e.id} class="small">
                <span class="muted">{dateTime(e.at)}</span> {e.message}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
