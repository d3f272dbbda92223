import { MockBinding, type MockPortBinding } from "@serialport/binding-mock";
import type { BindingInterface, OpenOptions } from "@serialport/bindings-interface";
import { SerialTransport } from "../../server/serial/transport.ts";
import { silentLogger } from "../../server/util/log.ts";

let counter = 0;

export interface MockLink {
  transport: SerialTransport;
  /** Bytes as if the firmware sent them. */
  reply(text: string): void;
  /** Every line written to the firmware so far, without `\n`. */
  written(): string[];
  /** Lines written since the previous call. */
  takeWritten(): string[];
}

/** A real SerialTransport over `@serialport/binding-mock`, recording what the host writes. */
export async function openMockLink(): Promise<MockLink> {
  const path = `/dev/layerwatch-mock-${counter++}`;
  MockBinding.createPort(path, { echo: false, record: true });
  let port: MockPortBinding | null = null;
  const binding: BindingInterface = {
    list: () => MockBinding.list(),
    open: async (options: OpenOptions) => {
      port = await MockBinding.open(options);
      return port;
    },
  };
  const transport = new SerialTransport({ binding, path, baudRate: 250000, log: silentLogger() });
  await transport.open();
  let taken = 0;
  const written = (): string[] => {
    const text = port?.recording.toString("latin1") ?? "";
    return text.split("\n").slice(0, -1);
  };
  return {
    transport,
    reply(text: string) {
      port?.emitData(Buffer.from(text, "latin1"));
    },
    written,
    takeWritten() {
      const all = written();
      const fresh = all.slice(taken);
      taken = all.length;
      return fresh;
    },
  };
}

/** Lets the stream, binding and window promise chains settle (real setImmediate, also under fake timers). */
export async function settle(rounds = 8): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
