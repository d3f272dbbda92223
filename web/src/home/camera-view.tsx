/** The live camera (MJPEG through the daemon; the session cookie authenticates it). */
import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { usePermission } from "../state/live.ts";

export function CameraView() {
  const canView = usePermission("camera:read");
  const [failed, setFailed] = useState(false);
  const [nonce, setNonce] = useState(0);
  // Stop the stream while the page is hidden (saves the phone's data and the Pi's CPU).
  const [visible, setVisible] = useState(!document.hidden);
  useEffect(() => {
    const onVis = () => setVisible(!document.hidden);
    document.addEventListener("visibilitychange", onVis);
    return () => document.removeEventListener("visibilitychange", onVis);
  }, []);
  if (!canView) return null;
  return (
    <section class="card camera-card" aria-label="Camera">
      {failed ? (
        <div class="camera-failed">
          <p class="muted">The camera is not available.</p>
          <button
            type="button"
            class="btn btn-plain"
            data-testid="camera-retry"
            aria-label="Retry the camera"
            onClick={() => {
              setFailed(false);
              setNonce(nonce + 1);
            }}
          >
            Retry
          </button>
        </div>
      ) : null}
      {visible && !failed ? (
        <img
          key={nonce}
          class="camera"
          src={api.cameraStreamUrl}
          alt="Live camera view of the printer"
          data-testid="camera"
          onError={() => setFailed(true)}
        />
      ) : null}
    </section>
  );
}
