/** Toasts for action errors and events. */
import { dismissNotice, useLive } from "../state/live.ts";

export function Notices() {
  const notices = useLive((s) => s.notices);
  return (
    <div class="notices" aria-live="polite">
      {notices.map((n) => (
        <div
          key={n.id}
          class={`notice notice-${n.kind}`}
          role={n.kind === "error" ? "alert" : "status"}
          data-testid={`notice-${n.kind}`}
        >
          <span>{n.text}</span>
          <button
            type="button"
            class="notice-close"
            aria-label="Dismiss"
            data-testid="notice-dismiss"
            onClick={() => dismissNotice(n.id)}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
