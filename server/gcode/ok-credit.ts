import type { InFlightLine, InFlightQueue } from "./in-flight.ts";
import type { ResponseOf } from "./responses/types.ts";

/**
 * How many lines at the head of the queue an `ok` acknowledges; 0 for an `ok` that belongs to none
 * (a duplicate, or one for a line already given up).
 *
 * - `ok T:…` comes only from M105 (Marlin `M105()` prints it in place of the plain ok); the firmware
 *   answers in order, so it acknowledges every line before that M105 too, even those whose ok was lost.
 * - ADVANCED_OK `ok N<n> P<p> B<b>` names the line it answers: everything through N is done.
 * - A plain `ok` answers the oldest line in flight.
 */
export function acknowledgedCount(ok: ResponseOf<"ok">, inFlight: InFlightQueue): number {
  if (inFlight.length === 0) return 0;
  if (ok.temperatures !== undefined) return inFlight.findIndex((l) => l.code === "M105") + 1;
  if (ok.lineNumber === undefined) return 1;
  const n = ok.lineNumber;
  let count = 0;
  for (let i = 0; i < inFlight.length; i++) {
    const line = inFlight.at(i) as InFlightLine;
    if (line.lineNumber === null) continue;
    if (line.lineNumber > n) break;
    count = i + 1;
  }
  const head = inFlight.peek() as InFlightLine;
  if (count === 0 && (head.lineNumber === null || head.lineNumber <= n)) return 1;
  return count;
}
