/** Control: jog, home, extrude/retract, fan, motors off, emergency stop. */
import { useState } from "preact/hooks";
import { api } from "../api/client.ts";
import { ActionButton } from "../components/action-button.tsx";
import { confirmAction } from "../components/confirm-dialog.tsx";
import { attempt, useLive, usePermission } from "../state/live.ts";
import { blockedBy } from "../util/gate.ts";

const STEPS = [0.1, 1, 10, 100];

function JogButton({ axis, dir, step }: { axis: "x" | "y" | "z"; dir: 1 | -1; step: number }) {
  const state = useLive((s) => s.state);
  const sign = dir > 0 ? "+" : "−";
  return (
    <ActionButton
      testid={`jog-${axis}-${dir > 0 ? "plus" : "minus"}`}
      label={`Move ${axis.toUpperCase()} ${sign}${step} mm`}
      blocked={blockedBy("jog", state)}
      onClick={() => attempt(() => api.jog({ [axis]: dir * step }))}
      class="jog"
    >
      {axis.toUpperCase()}
      {sign}
    </ActionButton>
  );
}

export function ControlScreen() {
  const state = useLive((s) => s.state);
  const canSend = usePermission("commands:send");
  const canControl = usePermission("print:control");
  const [step, setStep] = useState(10);
  const [amount, setAmount] = useState(5);
  const [fan, setFan] = useState(100);

  const estop = async () => {
    if (await confirmAction("Emergency stop? The printer halts at once and must be reconnected.", "Stop now"))
      await attempt(api.emergencyStop, "Emergency stop sent");
  };

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
            <ActionButton
              testid="home-xy"
              label="Home X and Y"
              blocked={blockedBy("home", state)}
              onClick={() => attempt(() => api.home({ axes: ["x", "y"] }))}
            >
              ⌂ XY
            </ActionButton>
            <JogButton axis="x" dir={1} step={step} />
            <ActionButton
              testid="home-z"
              label="Home Z"
              blocked={blockedBy("home", state)}
              onClick={() => attempt(() => api.home({ axes: ["z"] }))}
            >
              ⌂ Z
            </ActionButton>
            <span />
            <JogButton axis="y" dir={-1} step={step} />
            <span />
            <JogButton axis="z" dir={-1} step={step} />
          </div>
          <div class="row wrap">
            <ActionButton
              testid="home-all"
              label="Home all axes"
              variant="primary"
              blocked={blockedBy("home", state)}
              onClick={() => attempt(() => api.home())}
            />
            <ActionButton
              testid="motors-off"
              label="Motors off"
              blocked={blockedBy("motorsOff", state)}
              onClick={() => attempt(api.motorsOff, "Motors off")}
            />
          </div>
        </section>
      ) : null}
      <div class="col">
        {canSend ? (
          <section class="card" aria-label="Extruder">
            <h2>Extruder</h2>
            <label class="inline">
              Length (mm)
              <input
                type="number"
                min={0.1}
                max={100}
                step={0.1}
                value={amount}
                data-testid="extrude-amount"
                aria-label="Extrude length in mm"
                onInput={(e) => setAmount(Number(e.currentTarget.value))}
              />
            </label>
            <div class="row wrap">
              <ActionButton
                testid="extrude"
                label={`Extrude ${amount} mm`}
                blocked={blockedBy("extrude", state)}
                onClick={() => attempt(() => api.extrude({ amount }))}
              >
                Extrude
              </ActionButton>
              <ActionButton
                testid="retract"
                label={`Retract ${amount} mm`}
                blocked={blockedBy("extrude", state)}
                onClick={() => attempt(() => api.extrude({ amount: -amount }))}
              >
                Retract
              </ActionButton>
            </div>
            <h2>Fan</h2>
            <label class="inline">
              Speed {fan}%
              <input
                type="range"
                min={0}
                max={100}
                value={fan}
                data-testid="fan-speed"
                aria-label="Fan speed in percent"
                onInput={(e) => setFan(Number(e.currentTarget.value))}
              />
            </label>
            <div class="row wrap">
              <ActionButton
                testid="fan-set"
                label={`Set the fan to ${fan}%`}
                blocked={blockedBy("fan", state)}
                onClick={() => attempt(() => api.fan(fan))}
              >
                Set fan
              </ActionButton>
              <ActionButton
                testid="fan-off"
                label="Fan off"
                blocked={blockedBy("fan", state)}
                onClick={() => attempt(() => api.fan(0))}
              />
            </div>
          </section>
        ) : null}
        {canControl ? (
          <section class="card" aria-label="Emergency stop">
            <ActionButton
              testid="estop"
              label="Emergency stop"
              variant="danger"
              class="btn-big wide"
              blocked={blockedBy("estop", state)}
              onClick={estop}
            />
          </section>
        ) : null}
      </div>
    </div>
  );
}
