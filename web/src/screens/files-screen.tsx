/** Files: upload, the stored files with thumbnails and analysis, start and delete. */

import { useCallback, useEffect, useState } from "preact/hooks";
import type { FileDto } from "../../../server/api/contract.ts";
import { api, errorMessage } from "../api/client.ts";
import { ErrorAlert } from "../components/error-alert.tsx";
import { TextInput } from "../components/form-fields.tsx";
import { FileRow } from "../files/file-row.tsx";
import { UploadBox } from "../files/upload-box.tsx";
import { useLive, usePermission } from "../state/live.ts";

export function FilesScreen() {
  const [files, setFiles] = useState<FileDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState("");
  const canWrite = usePermission("files:write");
  const version = useLive((s) => s.libraryVersion);
  const state = useLive((s) => s.state);

  const load = useCallback(async () => {
    try {
      const res = await api.files();
      const list = res.entries.filter((e): e is FileDto => e.type === "file");
      list.sort((a, b) => b.modifiedMs - a.modifiedMs);
      setFiles(list);
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load, version, state]);

  // Analyses finish a few seconds after an upload: look again while any is pending.
  useEffect(() => {
    if (!files?.some((f) => f.analysis.status === "pending")) return;
    const timer = setTimeout(() => void load(), 2000);
    return () => clearTimeout(timer);
  }, [files, load]);

  const shown = (files ?? []).filter((f) => f.path.toLowerCase().includes(filter.toLowerCase()));
  return (
    <div class="stack">
      {canWrite ? <UploadBox onUploaded={() => void load()} /> : null}
      <TextInput
        type="search"
        class="search"
        placeholder="Filter files"
        label="Filter files by name"
        testid="file-filter"
        value={filter}
        onValue={setFilter}
      />
      <ErrorAlert error={error} />
      {files === null && !error ? <p class="muted">Loading…</p> : null}
      {files !== null && shown.length === 0 ? (
        <p class="muted" data-testid="files-empty">
          No files yet.
        </p>
      ) : null}
      <ul class="list" data-testid="file-list">
        {shown.map((f) => (
          <FileRow key={f.path} file={f} onChanged={() => void load()} />
        ))}
      </ul>
    </div>
  );
}
