/** The signed-in dashboard: header, connection banner, the routed screen, the tab bar. */
import { api } from "./api/client.ts";
import { ConnectionBanner } from "./components/connection-banner.tsx";
import { Notices } from "./components/notices.tsx";
import { TabBar } from "./components/tab-bar.tsx";
import { useRoute } from "./router.ts";
import { ControlScreen } from "./screens/control-screen.tsx";
import { FilesScreen } from "./screens/files-screen.tsx";
import { HistoryScreen } from "./screens/history-screen.tsx";
import { HomeScreen } from "./screens/home-screen.tsx";
import { SettingsScreen } from "./screens/settings-screen.tsx";
import { TerminalScreen } from "./screens/terminal-screen.tsx";
import { TimelapsesScreen } from "./screens/timelapses-screen.tsx";
import { attempt, useLive } from "./state/live.ts";

function Screen({ route }: { route: string[] }) {
  const [first = "", second] = route;
  switch (first) {
    case "control":
      return <ControlScreen />;
    case "files":
      return <FilesScreen />;
    case "timelapses":
      return <TimelapsesScreen />;
    case "history":
      return <HistoryScreen jobId={second ? Number(second) : null} />;
    case "terminal":
      return <TerminalScreen />;
    case "settings":
      return <SettingsScreen />;
    case "appkeys":
      return <SettingsScreen appKey={second ?? null} />;
    default:
      return <HomeScreen />;
  }
}

export function Shell({ onSignOut }: { onSignOut: () => void }) {
  const route = useRoute();
  const user = useLive((s) => s.session?.user ?? null);
  const tab = route[0] === "appkeys" ? "settings" : (route[0] ?? "");
  return (
    <div class="shell">
      <header class="top-bar">
        <a href="#/" class="brand" aria-label="Layerwatch home" data-testid="brand">
          Layerwatch
        </a>
        <span class="user" data-testid="current-user">
          {user ? `${user.name} · ${user.role}` : ""}
        </span>
        <button
          type="button"
          class="btn btn-plain btn-small"
          data-testid="logout"
          aria-label="Sign out"
          onClick={() => void attempt(api.logout).then(onSignOut)}
        >
          Sign out
        </button>
      </header>
      <ConnectionBanner />
      <main class="content" data-testid={`screen-${tab || "home"}`}>
        <Screen route={route} />
      </main>
      <TabBar current={tab} />
      <Notices />
    </div>
  );
}
