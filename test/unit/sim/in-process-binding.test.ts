import { ReadlineParser } from "@serialport/parser-readline";
import { SerialPortStream } from "@serialport/stream";
import { describe, expect, it } from "vitest";
import { createSimulatorBinding, type SimConfig, SimulatedPrinter } from "../../../server/sim/index.ts";
import { formatLine, simConfig } from "./sim-harness.ts";

/** A port opened through the real SerialPortStream, with every received line collected. */
async function openPort(change: (config: SimConfig) => void = () => {}) {
  const sim = createSimulatorBinding();
  const printer = new SimulatedPrinter(simConfig(change));
  printer.start();
  sim.register("/dev/ttySIM0", printer);
  const port = new SerialPortStream({
    binding: sim.binding,
    path: "/dev/ttySIM0",
    baudRate: 250000,
    autoOpen: false,
  });
  const parser = port.pipe(new ReadlineParser({ delimiter: "\n" }));
  const lines: string[] = [];
  const waiters: { match: (l: string) => boolean; resolve: (l: string) => void }[] = [];
  parser.on("data", (line: string) => {
    lines.push(line);
    const i = waiters.findIndex((w) => w.match(line));
    if (i !== -1) waiters.splice(i, 1)[0]?.resolve(line);
  });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const until = (match: (l: string) => boolean): Promise<string> => {
    const seen = lines.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve) => waiters.push({ match, resolve }));
  };
  const write = (text: string) =>
    new Promise<void>((resolve, reject) => port.write(text, (err) => (err ? reject(err) : resolve())));
  return { sim, printer, port, lines, until, write };
}

function closed(port: SerialPortStream): Promise<Error | null> {
  return new Promise((resolve) => port.once("close", (err: Error | null) => resolve(err)));
}

describe("in-process binding with SerialPortStream", () => {
  it("lists registered printers as Layerwatch ports", async () => {
    const sim = createSimulatorBinding();
    sim.register("/dev/ttySIM0", new SimulatedPrinter(simConfig()));
    const ports = await sim.binding.list();
    expect(ports).toEqual([expect.objectContaining({ path: "/dev/ttySIM0", manufacturer: "Layerwatch" })]);
    await expect(sim.binding.open({ path: "/dev/nothing", baudRate: 250000 })).rejects.toThrow(/cannot open/);
  });

  it("resets on open (banner), then answers numbered commands", async () => {
    const { port, until, write, lines, printer } = await openPort();
    await until((l) => l === "echo:SD card ok");
    expect(lines[0]).toBe("start");
    await write(formatLine(1, "M105"));
    expect(await until((l) => l.startsWith("ok"))).toBe("ok T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0");
    await write(`${formatLine(2, "G1 X10")}${formatLine(3, "M114")}`);
    await until((l) => l.startsWith("X:"));
    expect(printer.recording).toEqual(["M105", "G1 X10", "M114"]);
    const done = closed(port);
    port.close();
    expect(await done).toBeNull();
    await printer.stop();
  });

  it("paces a link at its byte rate", async () => {
    const { port, until, write, printer } = await openPort((c) => {
      c.link = { bytesPerSecond: 11_520, latencyMs: 1 };
    });
    await until((l) => l === "echo:SD card ok");
    let text = "";
    for (let n = 1; n <= 40; n++) text += formatLine(n, "G1 X10.25 Y20.5 E0.0123");
    const start = performance.now();
    await write(text);
    await until((l) => l === "ok" && printer.recording.length === 40);
    const seconds = (performance.now() - start) / 1000;
    // 40 lines take text.length / 11520 s on the wire; generous upper bound for a busy machine.
    expect(seconds).toBeGreaterThanOrEqual(text.length / 11_520);
    expect(seconds).toBeLessThan((text.length / 11_520) * 1.5 + 0.2);
    port.close();
    await printer.stop();
  });

  it("surfaces a simulated disconnect as a close with disconnected: true, and can reopen", async () => {
    const { port, until, write, printer } = await openPort((c) => {
      c.faults.disconnectAtLine = 2;
    });
    await until((l) => l === "echo:SD card ok");
    await write(formatLine(1, "G90"));
    await until((l) => l === "ok");
    const done = closed(port);
    await write(formatLine(2, "G90"));
    const err = (await done) as (Error & { disconnected?: boolean }) | null;
    expect(err?.disconnected).toBe(true);
    expect(port.isOpen).toBe(false);
    const lines: string[] = [];
    port.pipe(new ReadlineParser()).on("data", (l: string) => lines.push(l));
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(lines[0]).toBe("start");
    port.close();
    await printer.stop();
  });

  it("rejects an in-flight read with canceled: true on close, and overlapping writes", async () => {
    const sim = createSimulatorBinding();
    const printer = new SimulatedPrinter(simConfig((c) => (c.resetOnOpen = false)));
    printer.start();
    sim.register("/dev/ttySIM0", printer);
    const port = await sim.binding.open({ path: "/dev/ttySIM0", baudRate: 115200 });
    await expect(sim.binding.open({ path: "/dev/ttySIM0", baudRate: 115200 })).rejects.toThrow(/lock/);
    const read = port.read(Buffer.alloc(64), 0, 64);
    const first = port.write(Buffer.from("M105\n"));
    await expect(port.write(Buffer.from("M105\n"))).rejects.toThrow(/Overlapping/);
    await first;
    const { bytesRead, buffer } = await read;
    expect(buffer.toString("latin1", 0, bytesRead)).toBe("ok T:21.30 /0.00 B:21.00 /0.00 @:0 B@:0\n");
    expect(await port.getBaudRate()).toEqual({ baudRate: 115200 });
    const pending = port.read(Buffer.alloc(64), 0, 64);
    await port.close();
    await expect(pending).rejects.toMatchObject({ canceled: true });
    await expect(port.read(Buffer.alloc(8), 0, 8)).rejects.toThrow(/not open/);
  });

  it("resets the board on a rising DTR", async () => {
    const { port, until, lines, printer } = await openPort();
    await until((l) => l === "echo:SD card ok");
    lines.length = 0;
    await new Promise<void>((resolve) => port.set({ dtr: false }, () => resolve()));
    await new Promise<void>((resolve) => port.set({ dtr: true }, () => resolve()));
    expect(await until((l) => l === "start")).toBe("start");
    port.close();
    await printer.stop();
  });
});
