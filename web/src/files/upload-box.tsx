/** Upload G-code from the phone, with progress. */

import { useRef, useState } from "preact/hooks";
import type { FileDto } from "../../../server/api/contract.ts";
import { errorMessage, type UploadHandle, uploadFile } from "../api/client.ts";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { ProgressBar } from "../components/progress-bar.tsx";
import { notify } from "../state/live.ts";

/** How long a finished upload's full bar stays. */
const DONE_SHOWN_MS = 3000;

export function UploadBox({ onUploaded }: { onUploaded: (f: FileDto) => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [name, setName] = useState("");
  const [handle, setHandle] = useState<UploadHandle | null>(null);

  const upload = async (file: File, overwrite = false): Promise<void> => {
    setName(file.name);
    setProgress(0);
    const h = uploadFile(file, setProgress, { overwrite });
    setHandle(h);
    try {
      const stored = await h.done;
      notify("info", `Uploaded ${stored.name}`);
      onUploaded(stored);
      // The full bar stays a moment, so the upload is seen to have finished.
      setProgress(1);
      setHandle(null);
      setTimeout(() => setProgress((p) => (p === 1 ? null : p)), DONE_SHOWN_MS);
      return;
    } catch (error) {
      const code = (error as { code?: string }).code;
      setProgress(null);
      setHandle(null);
      if (code === "CONFLICT" && (await confirmAction(`${file.name} exists. Replace it?`, "Replace"))) {
        return upload(file, true);
      }
      if (code !== "ABORTED") notify("error", errorMessage(error));
    }
    setProgress(null);
    setHandle(null);
  };

  const onChange = () => {
    const file = input.current?.files?.[0];
    if (file) void upload(file);
    if (input.current) input.current.value = "";
  };

  return (
    <section class="card" aria-label="Upload">
      <label class="btn btn-primary file-label">
        Upload G-code
        <input
          ref={input}
          type="file"
          accept=".gcode,.gco,.g,.gz"
          class="sr-only"
          data-testid="file-input"
          aria-label="Choose a G-code file to upload"
          onChange={onChange}
          disabled={handle !== null}
        />
      </label>
      {progress !== null ? (
        <div class="upload">
          <p class="file-name small">{name}</p>
          <ProgressBar testid="upload-progress" label={`Uploading ${name}`} fraction={progress} />
          {handle !== null ? (
            <button
              type="button"
              class="btn btn-plain btn-small"
              data-testid="upload-cancel"
              aria-label="Cancel the upload"
              onClick={() => handle.abort()}
            >
              Cancel upload
            </button>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
