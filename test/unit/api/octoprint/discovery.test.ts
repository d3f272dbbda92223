import { EventEmitter } from "node:events";
import { Bonjour, type Service } from "bonjour-service";
import { describe, expect, it } from "vitest";
import {
  bonjourResponder,
  Discovery,
  instanceName,
  type MdnsResponder,
} from "../../../../server/api/discovery/discovery.ts";
import { createRootLogger, silentLogger } from "../../../../server/util/log.ts";

const UUID = "0b5c8f36-9d55-4a39-8c1e-3b5a4c6f7e21";

class FakeResponder implements MdnsResponder {
  published: { name: string; type: string; port: number; txt: Record<string, string> }[] = [];
  closed = false;
  publish(service: { name: string; type: string; port: number; txt: Record<string, string> }) {
    this.published.push(service);
    return {};
  }
  unpublishAll(callback?: () => void) {
    callback?.();
  }
  destroy(callback?: () => void) {
    this.closed = true;
    callback?.();
  }
}

/** A logger whose warnings the test can read. */
function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new EventEmitter() as EventEmitter & { write(line: string): void };
  stream.write = (line: string) => {
    lines.push(JSON.parse(line) as { level: number; msg: string });
  };
  return { log: createRootLogger({ level: "info", destination: stream }), lines };
}

describe("mDNS discovery", () => {
  it("advertises _octoprint._tcp with OctoPrint's TXT keys and _http._tcp, and closes on stop", async () => {
    const responder = new FakeResponder();
    const discovery = new Discovery({
      log: silentLogger(),
      port: 5000,
      version: "0.1.0",
      uuid: UUID,
      name: "Layerwatch on pi",
      createResponder: () => responder,
    });
    discovery.start();
    expect(responder.published).toEqual([
      {
        name: "Layerwatch on pi",
        type: "octoprint",
        port: 5000,
        txt: {
          path: "/",
          api: "0.1",
          version: "0.1.0",
          uuid: UUID,
          model: "Layerwatch",
          vendor: "Layerwatch",
        },
      },
      { name: "Layerwatch on pi", type: "http", port: 5000, txt: { path: "/" } },
    ]);
    await discovery.stop();
    expect(responder.closed).toBe(true);
    expect(discovery.active).toBe(false);
  });

  it("only warns when the responder cannot start or fails later", async () => {
    const { log, lines } = recordingLogger();
    const broken = new Discovery({
      log,
      port: 5000,
      version: "0.1.0",
      uuid: UUID,
      createResponder: () => {
        throw Object.assign(new Error("bind EADDRINUSE 0.0.0.0:5353"), { code: "EADDRINUSE" });
      },
    });
    broken.start();
    expect(broken.active).toBe(false);
    await broken.stop();
    let report: (err: unknown) => void = () => {};
    const failing = new Discovery({
      log,
      port: 5000,
      version: "0.1.0",
      uuid: UUID,
      createResponder: (onError) => {
        report = onError;
        return new FakeResponder();
      },
    });
    failing.start();
    report(new Error("send ENETUNREACH"));
    report(new Error("send ENETUNREACH"));
    await failing.stop();
    expect(lines.filter((l) => l.level === 40).map((l) => l.msg)).toEqual([
      "mDNS is not available on this network: clients will need the printer's address",
      "mDNS is not available on this network: clients will need the printer's address",
    ]);
  });

  it("keeps the instance name within one DNS label", () => {
    expect(Buffer.byteLength(instanceName(`Layerwatch on ${"ü".repeat(60)}`))).toBeLessThanOrEqual(63);
  });

  it("is found by a DNS-SD browser on this machine", async () => {
    const discovery = new Discovery({
      log: silentLogger(),
      port: 5123,
      version: "9.9.9",
      uuid: UUID,
      name: "lw-test",
    });
    discovery.start();
    const browser = new Bonjour();
    try {
      const found = await new Promise<Service>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no _octoprint._tcp answer within 5 s")), 5000);
        browser.find({ type: "octoprint" }, (service) => {
          if (service.name !== "lw-test") return;
          clearTimeout(timer);
          resolve(service);
        });
      });
      expect(found.port).toBe(5123);
      expect(found.txt).toMatchObject({ path: "/", api: "0.1", version: "9.9.9", uuid: UUID });
    } finally {
      browser.destroy();
      await discovery.stop();
    }
  });

  it("turns the real responder's socket errors (EADDRINUSE, EACCES) into a warning, not a crash", async () => {
    const { log, lines } = recordingLogger();
    let inner: MdnsResponder | null = null;
    const discovery = new Discovery({
      log,
      port: 5124,
      version: "9.9.9",
      uuid: UUID,
      name: "lw-error-test",
      createResponder: (onError) => {
        inner = bonjourResponder(onError);
        return inner;
      },
    });
    discovery.start();
    const mdns = (inner as unknown as { server: { mdns: EventEmitter } }).server.mdns;
    // multicast-dns emits these on bind failures; an 'error' event without a listener would throw.
    expect(() =>
      mdns.emit("error", Object.assign(new Error("bind EADDRINUSE"), { code: "EADDRINUSE" })),
    ).not.toThrow();
    expect(lines.some((l) => l.level === 40 && l.msg.startsWith("mDNS is not available"))).toBe(true);
    await discovery.stop();
  });
});
