/** Every heater's actual/target, the last 30 minutes as a chart, presets and cool-down. */

import { useEffect, useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { TempChart } from "../components/temp-chart.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";
import { heaterLabel, heaterTitle, temp } from "../util/format.ts";
import { blockedBy } from "../util/gate.ts";
import type { TemperaturePresetDto } from "./preset-type.ts";

function TargetInput({ heater, target }: { heater: string; target: number | null }) {
  const state = useLive((s) => s.state);
  const [value, setValue] = useState("");
  const blocked = blockedBy("heat", state);
  const submit = async (e: Event) => {
    e.preventDefault();
    const n = Number(value);
    if (value === "" || !Number.isFinite(n)) return;
    if (await attempt(() => api.setTargets({ [heater]: n }))) setValue("");
  };
  return (
    <form class="target-form" onSubmit={(e) => void submit(e)}>
      <input
        type="number"
        inputMode="numeric"
        min={0}
        max={300}
        placeholder={target === null ? "°C" : String(target)}
        value={value}
        disabled={Boolean(blocked)}
        title={blocked ?? undefined}
        data-testid={`target-${heater}`}
        aria-label={`${heaterTitle(heater)} target °C`}
        onInput={(e) => setValue(e.currentTarget.value)}
      />
      <button
        type="submit"
        class="btn btn-plain btn-small"
        disabled={Boolean(blocked) || value === ""}
        title={blocked ?? "Set the target"}
        data-testid={`target-${heater}-set`}
        aria-label={`Set ${heaterTitle(heater)} target`}
      >
        Set
      </button>
    </form>
  );
}

export function TempsPanel() {
  const temps = useLive((s) => s.temperatures);
  const history = useLive((s) => s.history);
  const version = useLive((s) => s.historyVersion);
  const state = useLive((s) => s.state);
  const canSend = usePermission("commands:send");
  const [presets, setPresets] = useState<TemperaturePresetDto[]>([]);
  useEffect(() => {
    api.settings().then(
      (s) => setPresets(s.temperaturePresets),
      () => setPresets([]),
    );
  }, []);
  const heaters = Object.entries(temps)
    .map(([key, reading]) => ({ label: heaterLabel(key), reading }))
    .sort((a, b) => a.label.localeCompare(b.label));
  const blocked = blockedBy("heat", state);

  return (
    <section class="card" aria-label="Temperatures">
      <h2>Temperatures</h2>
      <ul class="heaters">
        {heaters.map(({ label, reading }) => (
          <li
            key={label}
            class="heater"
            data-testid={`temp-${label}`}
            aria-label={`${heaterTitle(label)} temperature`}
          >
            <span class="heater-name">{heaterTitle(label)}</span>
            <span class="heater-values">
              <span class="heater-actual" data-testid={`temp-${label}-actual`}>
                {temp(reading.actual)}
              </span>
              <span class="muted"> / </span>
              <span class="heater-target" data-testid={`temp-${label}-target`}>
                {reading.target ? temp(reading.target) : "off"}
              </span>
            </span>
            {canSend ? <TargetInput heater={label} target={reading.target} /> : null}
          </li>
        ))}
        {heaters.length === 0 ? <li class="muted">No temperatures reported.</li> : null}
      </ul>
      <TempChart
        testid="temp-chart"
        series={history}
        version={version}
        label="Temperatures, last 30 minutes"
      />
      {canSend ? (
        <div class="row wrap presets">
          {presets.map((p) => (
            <ActionButton
              key={p.name}
              testid={`preset-${p.name}`}
              label={`Preheat ${p.name} (${p.nozzle}° / ${p.bed}°)`}
              blocked={blocked}
              onClick={() => attempt(() => api.preset(p.name), `Heating for ${p.name}`)}
            >
              {p.name}
            </ActionButton>
          ))}
          <ActionButton
            testid="cooldown"
            label="Cool down"
            blocked={blocked}
            onClick={() => attempt(api.cooldown, "Heaters off")}
          />
        </div>
      ) : null}
    </section>
  );
}
