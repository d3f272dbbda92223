/** An accessible progress bar (0–1). */
interface Props {
  testid: string;
  label: string;
  fraction: number;
}

export function ProgressBar({ testid, label, fraction }: Props) {
  const pct = Math.round(Math.min(1, Math.max(0, fraction)) * 1000) / 10;
  return (
    <div
      class="progress"
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={`${pct}%`}
      data-testid={testid}
    >
      <div class="progress-fill" style={{ width: `${pct}%` }} />
      <span class="progress-text">{pct.toFixed(1)}%</span>
    </div>
  );
}
