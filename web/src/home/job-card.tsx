/** The running print: file, progress, layer, elapsed, ETA, pause/resume and cancel. */
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { ProgressBar } from "../components/progress-bar.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";
import { duration, eta } from "../util/format.ts";
import { blockedBy } from "../util/gate.ts";

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
  const cancel = async () => {
    if (await confirmAction(`Cancel printing ${job.file}?`, "Cancel print")) await attempt(api.cancel);
  };
  return (
    <section class="card" data-testid="job-card" aria-label="Print job">
      <h2 class="file-name" data-testid="job-file" title={job.file}>
        {job.file}
      </h2>
      <ProgressBar testid="job-progress" label="Print progress" fraction={p?.fraction ?? 0} />
      <dl class="facts">
        <div>
          <dt>Layer</dt>
          <dd data-testid="job-layer">{p ? `${p.layer}/${p.layers}` : "–"}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd data-testid="job-elapsed">{p ? duration(p.elapsedSeconds) : "–"}</dd>
        </div>
        <div>
          <dt>Left</dt>
          <dd data-testid="job-eta">{p ? eta(p.finishesAt, p.plusMinusSeconds) : "ETA –"}</dd>
        </div>
      </dl>
      {job.pausedBy && paused ? (
        <p class="muted" data-testid="job-paused-by">
          Paused by {job.pausedBy}
        </p>
      ) : null}
      {canControl ? (
        <div class="job-actions">
          {paused ? (
            <ActionButton
              testid="job-resume"
              label="Resume"
              variant="big"
              blocked={blockedBy("resume", state)}
              onClick={() => attempt(api.resume)}
            />
          ) : (
            <ActionButton
              testid="job-pause"
              label="Pause"
              variant="big"
              blocked={blockedBy("pause", state)}
              onClick={() => attempt(api.pause)}
            />
          )}
          <ActionButton
            testid="job-cancel"
            label="Cancel"
            variant="danger"
            class="btn-big"
            blocked={blockedBy("cancel", state)}
            onClick={cancel}
          />
        </div>
      ) : null}
    </section>
  );
}
