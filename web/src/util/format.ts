/** Display helpers: heater names, durations, sizes, times. */

/** Firmware keys to the dashboard's names: T0 → tool0, B → bed, C → chamber. */
export function heaterLabel(key: string): string {
  const tool = /^T(\d+)$/.exec(key);
  if (tool) return `tool${tool[1]}`;
  if (key === "T") return "tool0";
  if (key === "B") return "bed";
  if (key === "C") return "chamber";
  return key.toLowerCase();
}

export function heaterTitle(label: string): string {
  const tool = /^tool(\d+)$/.exec(label);
  if (tool) return `Nozzle ${Number(tool[1]) + 1}`;
  if (label === "bed") return "Bed";
  if (label === "chamber") return "Chamber";
  return label.toUpperCase();
}

/** 3725 → "1 h 02 min"; 95 → "1 min 35 s". */
export function duration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return "–";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, "0")} min`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
  return `${s} s`;
}

export function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
}

export function dateTime(ms: number): string {
  return new Date(ms).toLocaleString([], { dateStyle: "medium", timeStyle: "short" });
}

/** "ETA 14:20 ± 6 min". */
export function eta(finishesAt: number, plusMinusSeconds: number): string {
  const pm = Math.max(1, Math.round(plusMinusSeconds / 60));
  return `ETA ${clock(finishesAt)} ± ${pm} min`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** Filament lengths (mm per tool) → "1.30 m". */
export function filament(mm: number[] | null | undefined): string {
  if (!mm || mm.length === 0) return "–";
  const total = mm.reduce((a, b) => a + b, 0);
  return `${(total / 1000).toFixed(2)} m`;
}

export function temp(value: number | null | undefined): string {
  return value === null || value === undefined ? "–" : `${value.toFixed(1)}°`;
}
