import { percentile } from "./push-load.ts";

/**
 * Push latency, serial line → socket client. The bench prints a copy of the vase with an M600
 * every 400 commands. Each M600's `ok` moves the print from paused back to printing:
 * - the simulator (bench/push-sim.ts) stamps that `ok` as its wire delivers it to the pty;
 * - the daemon's main thread (bench/push-daemon.ts) stamps the `state` → `resuming` event it causes,
 *   after the push hub, subscribed first, has handed its message to every socket;
 * - each client (bench/push-load.ts) stamps the `state` message's arrival.
 * Every stamp is CLOCK_MONOTONIC (process.hrtime): one clock for every process on the machine.
 */

export interface Latency {
  /** State changes measured (M600s whose `ok` the simulator stamped). */
  events: number;
  /** Every client's receipt of every one. */
  samples: number;
  /** Serial line → client, every receipt. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Serial line → the first client to receive it, per change. */
  firstP50Ms: number;
  firstP99Ms: number;
  /** Serial line → the daemon's main thread, its push already handed to every socket, per change. */
  daemonP50Ms: number;
  daemonP99Ms: number;
}

/**
 * Each stamp against its cause, the latest simulator stamp at or before it (the daemon's and the
 * clients' stamps always follow the line that caused them).
 */
export function latencyOf(causes: bigint[], daemon: bigint[], clients: bigint[][]): Latency {
  const causeOf = (at: bigint): bigint | undefined => causes.filter((s) => s <= at).at(-1);
  const ms = (from: bigint, to: bigint): number => Number(to - from) / 1e6;
  const sort = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b);
  const all: number[] = [];
  const first = new Map<bigint, number>();
  for (const list of clients) {
    for (const at of list) {
      const cause = causeOf(at);
      if (cause === undefined) continue;
      all.push(ms(cause, at));
      first.set(cause, Math.min(first.get(cause) ?? ms(cause, at), ms(cause, at)));
    }
  }
  const toDaemon = new Map<bigint, number>();
  for (const at of daemon) {
    const cause = causeOf(at);
    if (cause !== undefined && !toDaemon.has(cause)) toDaemon.set(cause, ms(cause, at));
  }
  const sorted = sort(all);
  const firsts = sort(first.values());
  const daemons = sort(toDaemon.values());
  return {
    events: causes.length,
    samples: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    firstP50Ms: percentile(firsts, 0.5),
    firstP99Ms: percentile(firsts, 0.99),
    daemonP50Ms: percentile(daemons, 0.5),
    daemonP99Ms: percentile(daemons, 0.99),
  };
}
