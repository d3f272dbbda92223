/** Setup or login, then the dashboard shell. */

import { useCallback, useEffect, useState } from "preact/hooks";
import type { SessionResponse } from "../../server/api/contract.ts";
import { ApiError, api, errorMessage, setUnauthorizedHandler } from "./api/client.ts";
import { ConfirmHost } from "./components/confirm-dialog.tsx";
import { LoginScreen } from "./screens/login-screen.tsx";
import { SetupScreen } from "./screens/setup-screen.tsx";
import { Shell } from "./shell.tsx";
import { startLive, stopLive } from "./state/live.ts";

type Phase = "loading" | "setup" | "login" | "in" | "offline";

export function App() {
  const [phase, setPhase] = useState<Phase>("loading");
  const [problem, setProblem] = useState("");

  const signedOut = useCallback(() => {
    stopLive();
    setPhase("login");
  }, []);

  const signedIn = useCallback(
    (session: SessionResponse) => {
      startLive(session, signedOut);
      setPhase("in");
    },
    [signedOut],
  );

  const boot = useCallback(async () => {
    setPhase("loading");
    try {
      const health = await api.health();
      if (health.needsSetup) return setPhase("setup");
      signedIn(await api.session());
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return setPhase("login");
      setProblem(errorMessage(error));
      setPhase("offline");
    }
  }, [signedIn]);

  useEffect(() => {
    setUnauthorizedHandler(signedOut);
    void boot();
    return () => setUnauthorizedHandler(null);
  }, [boot, signedOut]);

  return (
    <>
      {phase === "loading" ? (
        <main class="auth" aria-busy="true" data-testid="app-loading">
          <p class="muted">Loading…</p>
        </main>
      ) : null}
      {phase === "offline" ? (
        <main class="auth" data-testid="app-offline">
          <div class="card auth-card">
            <p class="error" role="alert">
              {problem}
            </p>
            <button
              type="button"
              class="btn btn-primary"
              data-testid="retry"
              aria-label="Retry"
              onClick={() => void boot()}
            >
              Retry
            </button>
          </div>
        </main>
      ) : null}
      {phase === "setup" ? <SetupScreen onDone={signedIn} /> : null}
      {phase === "login" ? <LoginScreen onDone={signedIn} /> : null}
      {phase === "in" ? <Shell onSignOut={signedOut} /> : null}
      <ConfirmHost />
    </>
  );
}
