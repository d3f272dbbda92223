/** The running print: file, progress, layer, elapsed, ETA, pause/resume and cancel. */
import { api } from "../api/client.ts";
import { Fact } from "../components/facts.tsx";
import { GatedButton } from "../components/gated-button.tsx";
import { ProgressBar } from "../components/progress-bar.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";
import { duration, eta } from "../util/format.ts";

export function JobCard() {
  const job = useLive((s) => s.job);
  const state = useLive((s) => s.state);
  const canControl = usePermission("print:control");
  if (!job) {
    return (
      <section class="card" data-testid="job-card" aria-label="Print job">
        <h2>No print running</h2>
        <p class="muted">
          Start one from <a href="#/files">Files</a>.
        </p>
      </section>
    );
  }
  const p = job.progress;
  const paused = state === "paused" || state === "pausing";
  return (
    <section class="card" data-testid="job-card" aria-label="Print job">
      <h2 class="file-name" data-testid="job-file" title={job.file}>
        {job.file}
      </h2>
      <ProgressBar testid="job-progress" label="Print progress" fraction={p?.fraction ?? 0} />
      <dl class="facts">
        <Fact label="Layer" testid="job-layer">
          {p ? `${p.layer}/${p.layers}` : "–"}
        </Fact>
        <Fact label="Elapsed" testid="job-elapsed">
          {p ? duration(p.elapsedSeconds) : "–"}
        </Fact>
        <Fact label="Left" testid="job-eta">
          {p ? eta(p.finishesAt, p.plusMinusSeconds) : "ETA –"}
        </Fact>
      </dl>
      {job.pausedBy && paused ? (
        <p class="muted" data-testid="job-paused-by">
          Paused by {job.pausedBy}
        </p>
      ) : null}
      {canControl ? (
        <div class="job-actions">
          <GatedButton
            gate={paused ? "resume" : "pause"}
            testid={paused ? "job-resume" : "job-pause"}
            label={paused ? "Resume" : "Pause"}
            variant="big"
            onClick={() => attempt(paused ? api.resume : api.pause)}
          />
          <GatedButton
            gate="cancel"
            testid="job-cancel"
            label="Cancel"
            variant="danger"
            class="btn-big"
            confirm={`Cancel printing ${job.file}?`}
            confirmYes="Cancel print"
            onClick={() => attempt(api.cancel)}
          />
        </div>
      ) : null}
    </section>
  );
}
