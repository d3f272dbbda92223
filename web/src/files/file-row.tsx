/** One stored file: thumbnail, analysis, start and delete. */
import type { FileDto } from "../../../server/api/contract.ts";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";
import { bytes, duration, filament } from "../util/format.ts";
import { blockedBy } from "../util/gate.ts";

function Analysis({ file }: { file: FileDto }) {
  const a = file.analysis;
  if (a.status === "pending") return <span class="muted">Analysing…</span>;
  if (a.status === "failed") return <span class="error">Analysis failed: {a.error}</span>;
  return (
    <span data-testid="file-analysis">
      <span title="Estimated time">{duration(a.totalSeconds)}</span> ·{" "}
      <span title="Filament">{filament(a.filamentMm)} filament</span> ·{" "}
      <span title="Layers">{a.layers} layers</span>
    </span>
  );
}

export function FileRow({ file, onChanged }: { file: FileDto; onChanged: () => void }) {
  const state = useLive((s) => s.state);
  const canPrint = usePermission("print:control");
  const canWrite = usePermission("files:write");
  const thumb = file.thumbnails.at(-1) ?? null;
  const startBlocked =
    blockedBy("start", state) ??
    (file.analysis.status === "pending" ? "the file is still being analysed" : null);
  return (
    <li class="card file-row" data-testid={`file-row-${file.path}`} data-file={file.path}>
      {thumb ? (
        <img class="thumb" src={thumb.url} alt="" loading="lazy" width={thumb.width} height={thumb.height} />
      ) : (
        <div class="thumb thumb-none" aria-hidden="true">
          G
        </div>
      )}
      <div class="file-info">
        <p class="file-name" title={file.path} data-testid="file-name">
          {file.path}
        </p>
        <p class="small muted">
          {bytes(file.size)} · <Analysis file={file} />
        </p>
        {file.printing ? <p class="small state-printing-text">Printing</p> : null}
        <div class="row wrap">
          {canPrint ? (
            <ActionButton
              testid="file-start"
              label={`Print ${file.name}`}
              variant="primary"
              blocked={startBlocked}
              onClick={() => attempt(() => api.startJob(file.path), `Printing ${file.name}`)}
            >
              Print
            </ActionButton>
          ) : null}
          <a
            class="btn btn-plain"
            href={api.downloadUrl(file.path)}
            download={file.name}
            data-testid="file-download"
            aria-label={`Download ${file.name}`}
          >
            Download
          </a>
          {canWrite ? (
            <ActionButton
              testid="file-delete"
              label={`Delete ${file.name}`}
              blocked={file.printing ? "the file is printing" : null}
              confirm={`Delete ${file.path}?`}
              confirmYes="Delete"
              onClick={async () => {
                if (await attempt(() => api.deleteFile(file.path), `Deleted ${file.name}`)) onChanged();
              }}
            >
              Delete
            </ActionButton>
          ) : null}
        </div>
      </div>
    </li>
  );
}
