/** Temperatures over time (uPlot): each heater's actual (solid) and target (dashed). */
import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import type { HeaterSeries } from "../state/live-types.ts";
import { heaterTitle } from "../util/format.ts";

const COLORS = ["#a855f7", "#eab308", "#ec4899", "#14b8a6"];
const FIXED: Record<string, string> = {
  tool0: "#f97316",
  tool1: "#ef4444",
  bed: "#3b82f6",
  chamber: "#22c55e",
};
const AXIS = {
  stroke: "#8a94a6",
  grid: { stroke: "rgba(138,148,166,0.2)" },
  ticks: { stroke: "rgba(138,148,166,0.3)" },
};

interface Props {
  testid: string;
  series: Record<string, HeaterSeries>;
  /** Changes whenever the data changed. */
  version: number;
  height?: number;
  label?: string;
}

/** The heaters' samples on one time axis (uPlot wants aligned columns); gaps are null. */
function align(series: Record<string, HeaterSeries>, heaters: string[]): uPlot.AlignedData {
  const times = new Set<number>();
  for (const h of heaters) for (const t of series[h]?.t ?? []) times.add(Math.round(t));
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const columns: (number | null)[][] = [];
  for (const h of heaters) {
    const s = series[h];
    const actual: (number | null)[] = new Array(xs.length).fill(null);
    const target: (number | null)[] = new Array(xs.length).fill(null);
    s?.t.forEach((t, i) => {
      const at = index.get(Math.round(t));
      if (at === undefined) return;
      actual[at] = s.actual[i] ?? null;
      target[at] = s.target[i] ?? null;
    });
    columns.push(actual, target);
  }
  return [xs, ...columns] as uPlot.AlignedData;
}

function options(heaters: string[], width: number, height: number): uPlot.Options {
  const series: uPlot.Series[] = [{}];
  heaters.forEach((h, i) => {
    const color = FIXED[h] ?? COLORS[i % COLORS.length];
    series.push({ label: heaterTitle(h), stroke: color, width: 2, spanGaps: true, points: { show: false } });
    series.push({
      label: `${heaterTitle(h)} target`,
      stroke: color,
      width: 1,
      dash: [6, 4],
      spanGaps: true,
      points: { show: false },
    });
  });
  return {
    width,
    height,
    series,
    legend: { show: true, live: false },
    cursor: { drag: { x: false, y: false } },
    scales: { y: { range: (_u, min, max) => [Math.min(0, min ?? 0), Math.max(50, (max ?? 0) + 10)] } },
    axes: [{ ...AXIS }, { ...AXIS, size: 44, values: (_u, vals) => vals.map((v) => `${v}°`) }],
  };
}

export function TempChart({ testid, series, version, height = 180, label = "Temperature history" }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const heaters = Object.keys(series).sort();
  const key = heaters.join(",");

  // (Re)build when the set of heaters changes.
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const u = new uPlot(options(heaters, el.clientWidth || 320, height), align(series, heaters), el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: el.clientWidth || 320, height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [key, height]);

  useEffect(() => {
    plot.current?.setData(align(series, heaters));
  }, [version]);

  return <div class="chart" ref={box} role="img" aria-label={label} data-testid={testid} />;
}
