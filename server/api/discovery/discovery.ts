import type { EventEmitter } from "node:events";
import { hostname } from "node:os";
import { Bonjour } from "bonjour-service";
import type { Logger } from "../../util/log.ts";

/** What Discovery needs of an mDNS responder (bonjour-service's Bonjour has exactly this). */
export interface MdnsResponder {
  publish(service: { name: string; type: string; port: number; txt: Record<string, string> }): unknown;
  unpublishAll(callback?: () => void): void;
  destroy(callback?: () => void): void;
}

export interface DiscoveryDeps {
  log: Logger;
  /** The HTTP port the API listens on. */
  port: number;
  /** The daemon's version, for the TXT record. */
  version: string;
  /** The install id (api/octoprint/install-id.ts): Home Assistant keys its config entry on TXT `uuid`. */
  uuid: string;
  /** Shown in the clients' lists; default `Layerwatch on <hostname>`. */
  name?: string;
  /** Makes the responder; the default is bonjour-service on UDP 5353. Tests pass a fake. */
  createResponder?: (onError: (err: unknown) => void) => MdnsResponder;
}

/** A DNS label is at most 63 bytes; an instance name is one label. */
const MAX_NAME_BYTES = 63;

/** Goodbye packets are best effort: stop() never waits longer than this for the socket. */
const STOP_TIMEOUT_MS = 1000;

/** bonjour-service on UDP 5353, with socket errors reported to `onError` instead of thrown. */
export function bonjourResponder(onError: (err: unknown) => void): MdnsResponder {
  const bonjour = new Bonjour({}, onError);
  // multicast-dns emits 'error' (EADDRINUSE, EACCES on bind) on an emitter bonjour-service listens
  // to only for 'query': without a listener the process would die. Not part of its typings.
  const mdns = (bonjour as unknown as { server?: { mdns?: EventEmitter } }).server?.mdns;
  mdns?.on("error", onError);
  mdns?.on("warning", () => {
    // per-interface membership failures: the other interfaces still work
  });
  return bonjour;
}

export function instanceName(name: string): string {
  let cut = name.normalize("NFC");
  while (Buffer.byteLength(cut, "utf8") > MAX_NAME_BYTES) cut = cut.slice(0, -1);
  return cut;
}

/**
 * Advertises the daemon on the LAN with mDNS/DNS-SD, as OctoPrint's discovery plugin does:
 * `_octoprint._tcp` (TXT `path=/`, `api=0.1`, `version`, `uuid`) for slicers (Cura, PrusaSlicer's
 * browse dialog), Home Assistant and the phone apps, and `_http._tcp` for browsers. A network
 * without multicast (a container, a firewall) only costs a warning in the log: the daemon runs on.
 */
export class Discovery {
  readonly #deps: DiscoveryDeps;
  #responder: MdnsResponder | null = null;

  constructor(deps: DiscoveryDeps) {
    this.#deps = deps;
  }

  get active(): boolean {
    return this.#responder !== null;
  }

  start(): void {
    if (this.#responder !== null) return;
    const { log, port, version, uuid } = this.#deps;
    const name = instanceName(this.#deps.name ?? `Layerwatch on ${hostname()}`);
    let warned = false;
    const onError = (err: unknown) => {
      if (warned) return;
      warned = true;
      log.warn({ err }, "mDNS is not available on this network: clients will need the printer's address");
    };
    try {
      const responder = (this.#deps.createResponder ?? bonjourResponder)(onError);
      responder.publish({
        name,
        type: "octoprint",
        port,
        txt: { path: "/", api: "0.1", version, uuid, model: "Layerwatch", vendor: "Layerwatch" },
      });
      responder.publish({ name, type: "http", port, txt: { path: "/" } });
      this.#responder = responder;
      log.info({ name, port }, "advertising _octoprint._tcp and _http._tcp over mDNS");
    } catch (err) {
      onError(err);
    }
  }

  /** Sends goodbye packets and closes the socket; resolves within a second whatever the network does. */
  async stop(): Promise<void> {
    const responder = this.#responder;
    this.#responder = null;
    if (responder === null) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_TIMEOUT_MS);
    });
    const closed = new Promise<void>((resolve) => {
      try {
        responder.unpublishAll(() => responder.destroy(() => resolve()));
      } catch (err) {
        this.#deps.log.debug({ err }, "mDNS responder failed to close");
        resolve();
      }
    });
    await Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
  }
}
