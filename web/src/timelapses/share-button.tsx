/** Shares a video through the Web Share API when the browser can share files; hidden otherwise. */
import { useEffect, useState } from "preact/hooks";
import { downloadAsFile } from "../api/client.ts";
import { notify } from "../state/live.ts";

export function ShareButton({ url, name }: { url: string; name: string }) {
  const [supported, setSupported] = useState(false);
  useEffect(() => {
    try {
      const probe = new File([""], name, { type: "video/mp4" });
      setSupported(typeof navigator.canShare === "function" && navigator.canShare({ files: [probe] }));
    } catch {
      setSupported(false);
    }
  }, [name]);
  if (!supported) return null;
  const share = async () => {
    try {
      const file = await downloadAsFile(url, name, "video/mp4");
      await navigator.share({ files: [file], title: name });
    } catch (error) {
      if ((error as Error).name !== "AbortError") notify("error", (error as Error).message);
    }
  };
  return (
    <button
      type="button"
      class="btn btn-plain"
      data-testid="timelapse-share"
      aria-label={`Share ${name}`}
      onClick={() => void share()}
    >
      Share
    </button>
  );
}
