/**
 * How many lines may be in flight at once.
 *
 * - ping-pong: one line, then wait for its `ok` (OctoPrint, Printrun).
 * - window: several lines, bounded by the firmware's command slots and by its UART receive buffer:
 *   the lines waiting there must never overflow it, or bytes are lost (Repetier-Host keeps 127 of 128
 *   bytes; kagebarton/BufferBuddy 0.3 release notes). See `windowAllows`.
 */
export interface FlowControl {
  mode: "ping-pong" | "window";
  /** Lines in flight at most (1 for ping-pong). */
  maxLines: number;
  /** Bytes in flight at most, or null when only lines are counted. */
  maxBytes: number | null;
}

export const PING_PONG: FlowControl = { mode: "ping-pong", maxLines: 1, maxBytes: null };

/** `auto`, `ping-pong`, `window`, or a fixed number of lines (1 = ping-pong). */
export type FlowRequest = "auto" | "ping-pong" | "window" | number;

export interface FlowFacts {
  /** The firmware reported `Cap:ADVANCED_OK:1` or sent an `ok … P… B…`. */
  advancedOk: boolean;
  /** UART receive buffer, from the profile; null when unknown. */
  receiveBufferBytes: number | null;
  /** Command slots (BUFSIZE), from the profile. */
  commandBufferSlots: number;
  /** The largest `B` an ADVANCED_OK reply has shown (free slots; Marlin reads one low). */
  largestBufferFree: number | null;
}

/** Bytes assumed for a receive buffer nobody declared: Marlin's AVR default. */
const ASSUMED_RECEIVE_BUFFER = 128;

/**
 * `auto` uses a window only when the firmware proves it safe: ADVANCED_OK seen, or a profile that
 * declares its receive buffer. Anything unknown gets ping-pong.
 */
export function resolveFlowControl(request: FlowRequest, facts: FlowFacts): FlowControl {
  if (request === "ping-pong" || request === 1) return PING_PONG;
  const slots =
    facts.largestBufferFree !== null ? Math.max(1, facts.largestBufferFree) : facts.commandBufferSlots;
  const rx = facts.receiveBufferBytes;
  if (request === "auto" && !facts.advancedOk && rx === null) return PING_PONG;
  const maxLines = typeof request === "number" ? request : slots;
  // One byte of headroom, as Repetier-Host keeps (127 of 128).
  const maxBytes = (rx ?? ASSUMED_RECEIVE_BUFFER) - 1;
  return { mode: "window", maxLines: Math.max(1, maxLines), maxBytes };
}

/**
 * Whether a line of `bytes` may go out now. An empty pipe always takes one line, whatever its size.
 *
 * Bytes: Marlin moves a line from its receive buffer into a command slot only from its main loop and
 * only while a slot is free (`queue.cpp` `get_available_commands()`), so while a command blocks (heating,
 * homing, a full planner) the lines behind it wait in the receive buffer. The firmware always runs our
 * oldest unanswered line, which has therefore left that buffer: what can sit there is every line in
 * flight except the head. Those bytes, plus the new line, must fit.
 */
export function windowAllows(
  flow: FlowControl,
  linesInFlight: number,
  bytesInFlight: number,
  headBytes: number,
  bytes: number,
): boolean {
  if (linesInFlight === 0) return true;
  if (linesInFlight >= flow.maxLines) return false;
  return flow.maxBytes === null || bytesInFlight - headBytes + bytes <= flow.maxBytes;
}
