import { readFileSync } from "node:fs";
import { io, type Socket } from "socket.io-client";
import type { PushServerEvents } from "../server/api/contract.ts";

/** The push bench's load: socket.io clients, HTTP polling, and a process's RSS and CPU time. */

export interface PushClients {
  /** Per client: CLOCK_MONOTONIC ns at which each `state` → `resuming` arrived. */
  resumedAt: bigint[][];
  /** Messages of any kind received by all clients. */
  messages(): number;
  close(): void;
}

/** One socket.io client per key (WebSocket only, as the dashboard connects), each past its snapshot. */
export async function connectClients(url: string, keys: readonly string[]): Promise<PushClients> {
  const resumedAt: bigint[][] = keys.map(() => []);
  let messages = 0;
  const sockets = await Promise.all(
    keys.map(
      (apiKey, i) =>
        new Promise<Socket<PushServerEvents>>((resolve, reject) => {
          const socket: Socket<PushServerEvents> = io(url, {
            transports: ["websocket"],
            reconnection: false,
            forceNew: true,
            auth: { apiKey },
          });
          socket.onAny(() => messages++);
          socket.on("state", (s) => {
            if (s.to === "resuming") resumedAt[i]?.push(process.hrtime.bigint());
          });
          socket.once("snapshot", () => resolve(socket));
          socket.once("connect_error", reject);
        }),
    ),
  );
  return {
    resumedAt,
    messages: () => messages,
    close: () => {
      for (const socket of sockets) socket.disconnect();
    },
  };
}

export interface PollStats {
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

/** Every client GETs each of `paths` every `everyMs`, the clients spread evenly over the period. */
export function startPolling(
  url: string,
  keys: readonly string[],
  paths: readonly string[],
  everyMs: number,
): { stop: () => Promise<PollStats> } {
  const times: number[] = [];
  let errors = 0;
  const inFlight = new Set<Promise<void>>();
  const poll = async (apiKey: string): Promise<void> => {
    for (const path of paths) {
      const started = performance.now();
      try {
        const res = await fetch(new URL(path, url), { headers: { "x-api-key": apiKey } });
        await res.arrayBuffer();
        if (res.status !== 200) errors++;
      } catch {
        errors++;
      }
      times.push(performance.now() - started);
    }
  };
  const timers: NodeJS.Timeout[] = [];
  keys.forEach((apiKey, i) => {
    const tick = (): void => {
      const request = poll(apiKey).finally(() => inFlight.delete(request));
      inFlight.add(request);
    };
    timers.push(
      setTimeout(
        () => {
          tick();
          timers.push(setInterval(tick, everyMs));
        },
        Math.round((i * everyMs) / keys.length),
      ),
    );
  });
  return {
    async stop() {
      for (const timer of timers) clearTimeout(timer);
      await Promise.all(inFlight);
      const sorted = [...times].sort((a, b) => a - b);
      return {
        requests: times.length,
        errors,
        p50Ms: percentile(sorted, 0.5),
        p99Ms: percentile(sorted, 0.99),
      };
    },
  };
}

/** Nearest-rank percentile of an ascending list; NaN when empty. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] as number;
}

export interface ProcStats {
  rssMb: number;
  /** User + system CPU seconds so far, every thread of the process. */
  cpuSeconds: number;
}

/** From /proc (Linux): VmRSS, and utime + stime in clock ticks (100 per second). */
export function procStats(pid: number): ProcStats {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  return { rssMb: rssKb / 1024, cpuSeconds: ticks / 100 };
}
