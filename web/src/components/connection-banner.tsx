/** Shown while the push socket is down: the page is not live. */
import { useLive } from "../state/live.ts";

export function ConnectionBanner() {
  const online = useLive((s) => s.online);
  const everOnline = useLive((s) => s.everOnline);
  if (online) return null;
  return (
    <div class="banner banner-warn" role="status" aria-live="polite" data-testid="connection-banner">
      {everOnline ? "Connection lost — reconnecting…" : "Connecting to the printer host…"}
    </div>
  );
}
