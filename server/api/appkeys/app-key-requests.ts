import { randomToken } from "../../auth/secrets.ts";
import { HostError } from "../../util/errors.ts";
import { type RateWindow, RequestLimiter } from "./request-limiter.ts";

/**
 * OctoPrint's application-keys flow (`plugins/appkeys`), in memory: an app asks for a key, a user
 * decides in the dashboard, the app polls until it gets the key or a 404. Two tokens per request, as
 * in OctoPrint: the app's token (its polling URL, which the key is handed out on) and a separate id
 * the deciding user sees, so listing pending requests never reveals what would collect the key.
 */

export interface AppKeyRules {
  /** A pending request not polled for this long is dropped (OctoPrint: 5 s). */
  pollTimeoutMs: number;
  /** However long the app keeps polling, a decision must come within this (OctoPrint: 10 min). */
  decisionWindowMs: number;
  /** An approval the app does not collect within this is dropped. */
  collectWindowMs: number;
  /** Pending requests at most, over all clients. */
  maxPending: number;
  /** Per client address (OctoPrint: 3/minute, 5/10 minutes, 10/hour). */
  limits: readonly RateWindow[];
}

export const DEFAULT_APP_KEY_RULES: AppKeyRules = {
  pollTimeoutMs: 5_000,
  decisionWindowMs: 10 * 60_000,
  collectWindowMs: 60_000,
  maxPending: 20,
  limits: [
    { count: 3, windowMs: 60_000 },
    { count: 5, windowMs: 10 * 60_000 },
    { count: 10, windowMs: 60 * 60_000 },
  ],
};

export interface PendingRequest {
  /** What the deciding user names the request by. */
  id: string;
  /** The app's name as it sent it ("Home Assistant"): also the new key's name. */
  app: string;
  /** The user the app asked a key for, as typed; null: whoever approves. */
  user: string | null;
  /** The client's address. */
  ip: string;
  /** ms since the epoch. */
  createdAt: number;
}

interface Pending extends PendingRequest {
  appToken: string;
  lastPolledAt: number;
}

interface Approved {
  app: string;
  /** Whose key it will be. */
  userId: number;
  decidedAt: number;
}

export type PollResult = { status: "pending" } | { status: "approved"; app: string; userId: number } | null;

export class AppKeyRequests {
  readonly #rules: AppKeyRules;
  readonly #clock: () => number;
  readonly #limiter: RequestLimiter;
  /** By app token. */
  readonly #pending = new Map<string, Pending>();
  readonly #approved = new Map<string, Approved>();

  constructor(clock: () => number, rules: Partial<AppKeyRules> = {}) {
    this.#rules = { ...DEFAULT_APP_KEY_RULES, ...rules };
    this.#clock = clock;
    this.#limiter = new RequestLimiter(this.#rules.limits);
  }

  /** A new request; THROTTLED when this address asked too often or too many requests wait. */
  request(app: string, user: string | null, ip: string): { appToken: string; id: string } {
    const now = this.#clock();
    this.#prune(now);
    if (this.#pending.size >= this.#rules.maxPending)
      throw new HostError("THROTTLED", "too many application key requests are waiting for a decision", {
        retryAfterSeconds: Math.ceil(this.#rules.pollTimeoutMs / 1000),
      });
    this.#limiter.take(ip, now, "application key requests");
    const appToken = randomToken(24);
    const id = randomToken(12);
    this.#pending.set(appToken, { id, appToken, app, user, ip, createdAt: now, lastPolledAt: now });
    return { appToken, id };
  }

  /**
   * The app's poll: keeps a pending request alive; hands out an approval once (it is then gone);
   * null for a denied, expired or unknown token.
   */
  poll(appToken: string): PollResult {
    const now = this.#clock();
    this.#prune(now);
    const pending = this.#pending.get(appToken);
    if (pending !== undefined) {
      pending.lastPolledAt = now;
      return { status: "pending" };
    }
    const approved = this.#approved.get(appToken);
    if (approved === undefined) return null;
    this.#approved.delete(appToken);
    return { status: "approved", app: approved.app, userId: approved.userId };
  }

  /** Requests waiting for a decision, oldest first. */
  list(): PendingRequest[] {
    this.#prune(this.#clock());
    return [...this.#pending.values()].map(({ id, app, user, ip, createdAt }) => ({
      id,
      app,
      user,
      ip,
      createdAt,
    }));
  }

  /** The pending request with this id; NOT_FOUND when it was decided, dropped or never existed. */
  get(id: string): PendingRequest {
    const found = this.list().find((p) => p.id === id);
    if (found === undefined)
      throw new HostError("NOT_FOUND", "no pending application key request with this id");
    return found;
  }

  /** Approves for `userId`: the app's next poll creates the key (see appkey-routes.ts). */
  approve(id: string, userId: number): void {
    const entry = this.#take(id);
    this.#approved.set(entry.appToken, { app: entry.app, userId, decidedAt: this.#clock() });
  }

  /** Denies: the app's next poll is a 404. */
  deny(id: string): void {
    this.#take(id);
  }

  #take(id: string): Pending {
    this.get(id);
    const entry = [...this.#pending.values()].find((p) => p.id === id) as Pending;
    this.#pending.delete(entry.appToken);
    return entry;
  }

  #prune(now: number): void {
    const { pollTimeoutMs, decisionWindowMs, collectWindowMs } = this.#rules;
    for (const [token, p] of this.#pending) {
      if (now - p.lastPolledAt > pollTimeoutMs || now - p.createdAt > decisionWindowMs)
        this.#pending.delete(token);
    }
    for (const [token, a] of this.#approved) {
      if (now - a.decidedAt > collectWindowMs) this.#approved.delete(token);
    }
  }
}
