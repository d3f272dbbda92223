/** The screens: a bottom tab bar on phones, a side bar on wide screens. */
import { usePermission } from "../state/live.ts";

const TABS = [
  { id: "", label: "Home", icon: "⌂" },
  { id: "control", label: "Control", icon: "✥" },
  { id: "files", label: "Files", icon: "▤" },
  { id: "timelapses", label: "Videos", icon: "▶" },
  { id: "history", label: "History", icon: "↺" },
  { id: "terminal", label: "Terminal", icon: "›_" },
  { id: "settings", label: "Settings", icon: "⚙" },
];

export function TabBar({ current }: { current: string }) {
  const terminal = usePermission("terminal");
  return (
    <nav class="tab-bar" aria-label="Screens">
      {TABS.filter((t) => t.id !== "terminal" || terminal).map((t) => (
        <a
          key={t.id}
          href={`#/${t.id}`}
          class={`tab${current === t.id ? " tab-active" : ""}`}
          aria-current={current === t.id ? "page" : undefined}
          aria-label={t.label}
          data-testid={`tab-${t.id || "home"}`}
        >
          <span class="tab-icon" aria-hidden="true">
            {t.icon}
          </span>
          <span class="tab-label">{t.label}</span>
        </a>
      ))}
    </nav>
  );
}
