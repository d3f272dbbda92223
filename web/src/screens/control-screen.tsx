/** Control: jog, home, extrude/retract, fan, motors off, emergency stop. */
import { useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { NumberField } from "../components/form-fields.tsx";
import { GatedButton } from "../components/gated-button.tsx";
import { attempt, usePermission } from "../state/live.ts";

const STEPS = [0.1, 1, 10, 100];

function JogButton({ axis, dir, step }: { axis: "x" | "y" | "z"; dir: 1 | -1; step: number }) {
  const sign = dir > 0 ? "+" : "−";
  return (
    <GatedButton
      gate="jog"
      testid={`jog-${axis}-${dir > 0 ? "plus" : "minus"}`}
      label={`Move ${axis.toUpperCase()} ${sign}${step} mm`}
      onClick={() => attempt(() => api.jog({ [axis]: dir * step }))}
      class="jog"
    >
      {axis.toUpperCase()}
      {sign}
    </GatedButton>
  );
}

export function ControlScreen() {
  const canSend = usePermission("commands:send");
  const canControl = usePermission("print:control");
  const [step, setStep] = useState(10);
  const [amount, setAmount] = useState(5);
  const [fan, setFan] = useState(100);

  if (!canSend && !canControl) {
    return (
      <p class="card muted" data-testid="control-forbidden">
        Your role cannot control the printer.
      </p>
    );
  }

  return (
    <div class="grid">
      {canSend ? (
        <section class="card" aria-label="Move">
          <h2>Move</h2>
          <fieldset class="steps" aria-label="Step size">
            {STEPS.map((s) => (
              <button
                key={s}
                type="button"
                aria-pressed={step === s}
                class={`btn btn-small ${step === s ? "btn-primary" : "btn-plain"}`}
                data-testid={`step-${s}`}
                aria-label={`Step ${s} mm`}
                onClick={() => setStep(s)}
              >
                {s}
              </button>
            ))}
          </fieldset>
          <div class="jog-grid">
            <span />
            <JogButton axis="y" dir={1} step={step} />
            <span />
            <JogButton axis="z" dir={1} step={step} />
            <JogButton axis="x" dir={-1} step={step} />
            <GatedButton
              gate="home"
              testid="home-xy"
              label="Home X and Y"
              onClick={() => attempt(() => api.home({ axes: ["x", "y"] }))}
            >
              ⌂ XY
            </GatedButton>
            <JogButton axis="x" dir={1} step={step} />
            <GatedButton
              gate="home"
              testid="home-z"
              label="Home Z"
              onClick={() => attempt(() => api.home({ axes: ["z"] }))}
            >
              ⌂ Z
            </GatedButton>
            <span />
            <JogButton axis="y" dir={-1} step={step} />
            <span />
            <JogButton axis="z" dir={-1} step={step} />
          </div>
          <div class="row wrap">
            <GatedButton
              gate="home"
              testid="home-all"
              label="Home all axes"
              variant="primary"
              onClick={() => attempt(() => api.home())}
            />
            <GatedButton
              gate="motorsOff"
              testid="motors-off"
              label="Motors off"
              onClick={() => attempt(api.motorsOff, "Motors off")}
            />
          </div>
        </section>
      ) : null}
      <div class="col">
        {canSend ? (
          <section class="card" aria-label="Extruder">
            <h2>Extruder</h2>
            <NumberField
              inline
              label="Extrude length in mm"
              caption="Length (mm)"
              testid="extrude-amount"
              min={0.1}
              max={100}
              step={0.1}
              value={amount}
              onValue={setAmount}
            />
            <div class="row wrap">
              <GatedButton
                gate="extrude"
                testid="extrude"
                label={`Extrude ${amount} mm`}
                onClick={() => attempt(() => api.extrude({ amount }))}
              >
                Extrude
              </GatedButton>
              <GatedButton
                gate="extrude"
                testid="retract"
                label={`Retract ${amount} mm`}
                onClick={() => attempt(() => api.extrude({ amount: -amount }))}
              >
                Retract
              </GatedButton>
            </div>
            <h2>Fan</h2>
            <NumberField
              inline
              type="range"
              label="Fan speed in percent"
              caption={`Speed ${fan}%`}
              testid="fan-speed"
              min={0}
              max={100}
              value={fan}
              onValue={setFan}
            />
            <div class="row wrap">
              <GatedButton
                gate="fan"
                testid="fan-set"
                label={`Set the fan to ${fan}%`}
                onClick={() => attempt(() => api.fan(fan))}
              >
                Set fan
              </GatedButton>
              <GatedButton
                gate="fan"
                testid="fan-off"
                label="Fan off"
                onClick={() => attempt(() => api.fan(0))}
              />
            </div>
          </section>
        ) : null}
        {canControl ? (
          <section class="card" aria-label="Emergency stop">
            <GatedButton
              gate="estop"
              testid="estop"
              label="Emergency stop"
              variant="danger"
              class="btn-big wide"
              confirm="Emergency stop? The printer halts at once and must be reconnected."
              confirmYes="Stop now"
              onClick={() => attempt(api.emergencyStop, "Emergency stop sent")}
            />
          </section>
        ) : null}
      </div>
    </div>
  );
}
