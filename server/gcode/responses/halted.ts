import type { ResponseOf } from "./types.ts";

/*
 * Runs before `error.ts`: these lines are also errors, but the firmware has stopped.
 *
 * Marlin `Marlin/src/MarlinCore.cpp` `kill()` (`STR_ERR_KILLED`), with or without the error prefix:
 *   Error:Printer halted. kill() called!
 *   Printer halted. kill() called!
 * Klipper `klippy/gcode.py` `_respond_error()` with the shutdown reason from `klippy/klippy.py`
 * (`invoke_shutdown()`) or `klippy/mcu.py` (MCU-side shutdown, lost link):
 *   !! Shutdown due to M112 command
 *   !! MCU 'mcu' shutdown: Timer too close
 *   !! Lost communication with MCU 'mcu'
 * Klipper `klippy/gcode.py` `_respond_state()` when it enters shutdown:
 *   // Klipper state: Shutdown
 */

const MARLIN_HALTED = "Printer halted";
const KLIPPER_STATE_SHUTDOWN = "// Klipper state: Shutdown";
const KLIPPER_MCU_SHUTDOWN = /^MCU '[^']*' (?:is_)?shutdown:/;

/** Marlin `kill()` and Klipper shutdown lines; `message` has the `Error:` / `!!` / `//` prefix removed. */
export function parseHalted(line: string): ResponseOf<"halted"> | null {
  const first = line.charCodeAt(0);
  if (first === 0x50 /* P */) {
    return line.startsWith(MARLIN_HALTED) ? { kind: "halted", message: line } : null;
  }
  if (first === 0x45 || first === 0x65 /* E, e */) {
    if (line.slice(0, 6).toLowerCase() !== "error:") return null;
    const message = line.slice(6).trim();
    return message.startsWith(MARLIN_HALTED) ? { kind: "halted", message } : null;
  }
  if (first === 0x21 /* ! */) {
    if (!line.startsWith("!!")) return null;
    const message = line.slice(2).trim();
    const shutdown =
      message.startsWith("Shutdown due to") ||
      message.startsWith("Lost communication with MCU") ||
      KLIPPER_MCU_SHUTDOWN.test(message);
    return shutdown ? { kind: "halted", message } : null;
  }
  if (first === 0x2f /* / */ && line === KLIPPER_STATE_SHUTDOWN) {
    return { kind: "halted", message: line.slice(3) };
  }
  return null;
}
