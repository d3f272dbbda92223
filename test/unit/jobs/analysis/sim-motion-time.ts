import type { FirmwareProfile } from "../../../../server/printer/firmware-profile-types.ts";
import { defaultSimConfig, ManualScheduler, SimulatedPrinter } from "../../../../server/sim/index.ts";

/** Commands whose simulated duration is not motion (homing, probing, heat-up): left out of both sides. */
export const NOT_MOTION = /^(G28|G29|G80|M109|M190|M600)\b/;

/**
 * Streams `commands` to the in-process simulated printer on a manual clock, sending each as soon as the
 * previous one is acknowledged (an instant host, so the planner never starves), then M400; returns the
 * simulated seconds that took: the simulator's own motion time (its moves and G4 dwells).
 */
export function simulatedMotionSeconds(profile: FirmwareProfile, commands: readonly string[]): number {
  const config = defaultSimConfig(profile);
  Object.assign(config.capabilities, {
    advancedOk: false,
    autoreportTemp: false,
    autoreportPos: false,
    busyProtocol: false,
    hostActionCommands: false,
  });
  config.speed = 1;
  config.record = { file: null, inMemory: false };
  const scheduler = new ManualScheduler();
  const printer = new SimulatedPrinter(config, { scheduler });
  let oks = 0;
  printer.onToHost((bytes) => {
    for (const line of bytes.toString("latin1").split("\n")) if (line.startsWith("ok")) oks++;
  });
  printer.start();
  const start = scheduler.now();
  const send = (command: string): void => {
    const before = oks;
    printer.fromHost(Buffer.from(`${command}\n`, "latin1"));
    while (oks === before) {
      const next = scheduler.nextTimer();
      if (next === undefined) throw new Error(`no ok for '${command}' and nothing scheduled`);
      scheduler.advance(Math.max(0, next - scheduler.now()));
    }
  };
  for (const command of commands) send(command);
  send("M400");
  return (scheduler.now() - start) / 1000;
}
