import { afterEach, describe, expect, it, vi } from "vitest";
import { type FlowControl, PING_PONG } from "../../../server/gcode/flow-control.ts";
import { formatLine } from "../../../server/gcode/line.ts";
import { type JobResult, SendWindow, type SendWindowSettings } from "../../../server/gcode/send-window.ts";
import { DEFAULT_TIMING } from "../../../server/gcode/timing.ts";
import { HostError } from "../../../server/util/errors.ts";
import { silentLogger } from "../../../server/util/log.ts";
import { type MockLink, openMockLink, settle } from "../../helpers/mock-link.ts";

const WINDOW: FlowControl = { mode: "window", maxLines: 4, maxBytes: 127 };

function settings(overrides: Partial<SendWindowSettings> = {}): SendWindowSettings {
  return {
    flow: PING_PONG,
    numbering: "always",
    maxLineLength: 96,
    okAfterResend: true,
    emergencyParser: false,
    longRunningCommands: ["G28", "M109", "M190", "M400"],
    historySize: 64,
    timing: DEFAULT_TIMING,
    linkBytesPerSecond: 25_000,
    ...overrides,
  };
}

async function setup(
  overrides: Partial<SendWindowSettings> = {},
): Promise<{ link: MockLink; window: SendWindow }> {
  const link = await openMockLink();
  const window = new SendWindow(
    { transport: link.transport, log: silentLogger(), clock: Date.now },
    settings(overrides),
  );
  window.start();
  return { link, window };
}

function source(commands: string[]) {
  let i = 0;
  return {
    next: () => (i < commands.length ? { command: commands[i] as string, ref: ++i } : null),
  };
}

/** Poll often: the replay hold is a few milliseconds, the early sync 50. */
const FAST = { interval: 1, timeout: 1000 };

/** `N<n> <cmd>*<cs>` without the newline, as the mock records it. */
const wire = (n: number, command: string) => formatLine(n, command).trimEnd();

afterEach(() => {
  vi.useRealTimers();
});

describe("ping-pong", () => {
  it("keeps one numbered line in flight and sends the next on each ok", async () => {
    const { link, window } = await setup();
    const done = window.startJob(source(["G28", "G1 X5 ; comment", "", "G1 Y5"]));
    await settle();
    expect(link.takeWritten()).toEqual([wire(1, "G28")]);
    link.reply("ok\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(2, "G1 X5")]);
    link.reply("ok\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(3, "G1 Y5")]);
    link.reply("ok\n");
    const result = await done;
    expect(result).toMatchObject({ lines: 3, resends: 0, timeouts: 0, lastAckedRef: 4, aborted: false });
  });

  it("slots interactive commands between print lines", async () => {
    const { link, window } = await setup();
    const done = window.startJob(source(["G1 X1", "G1 X2"]));
    await settle();
    const ack = window.send("M105");
    await settle();
    expect(link.takeWritten()).toEqual([wire(1, "G1 X1")]);
    link.reply("ok\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(2, "M105")]);
    link.reply("ok T:20.0 /0.0 B:20.0 /0.0 @:0 B@:0\n");
    await expect(ack).resolves.toEqual({ lineNumber: 2, command: "M105" });
    await settle();
    expect(link.takeWritten()).toEqual([wire(3, "G1 X2")]);
    link.reply("ok\n");
    await expect(done).resolves.toMatchObject({ lines: 2 });
  });
});

describe("send-ahead window", () => {
  it("fills the window by lines and by receive-buffer bytes", async () => {
    const { link, window } = await setup({ flow: WINDOW });
    // 50 bytes numbered: the running head plus two waiting (100 <= 127), not three waiting (150)
    const long = "G1 X100.123 Y100.456 Z0.200 E0.123456 F1800";
    void window.startJob(source([long, long, long, long, long]));
    await settle();
    const first = link.takeWritten();
    expect(first).toEqual([wire(1, long), wire(2, long), wire(3, long)]);
    link.reply("ok\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(4, long)]);
  });

  it("rewinds to N and resends every line from N, including the ones in flight", async () => {
    const { link, window } = await setup({ flow: WINDOW });
    const done = window.startJob(source(["G1 X1", "G1 X2", "G1 X3", "G1 X4"]));
    await settle();
    expect(link.takeWritten()).toEqual([
      wire(1, "G1 X1"),
      wire(2, "G1 X2"),
      wire(3, "G1 X3"),
      wire(4, "G1 X4"),
    ]);
    // Line 2 arrived corrupted: Marlin answers, flushes its buffer and asks for 2 again. The replay
    // waits until lines 3 and 4 (still on the wire) are through, then goes out whole.
    link.reply("ok\nError:checksum mismatch, Last Line: 1\nResend: 2\nok\n");
    await settle();
    expect(link.takeWritten()).toEqual([]);
    await vi.waitFor(() => expect(link.written().length).toBe(7), FAST);
    expect(link.takeWritten()).toEqual([wire(2, "G1 X2"), wire(3, "G1 X3"), wire(4, "G1 X4")]);
    link.reply("ok\nok\nok\n");
    await expect(done).resolves.toMatchObject({ lines: 4, resends: 1 });
  });

  it("ignores the duplicate requests that lines already on the wire provoke", async () => {
    const { link, window } = await setup({ flow: WINDOW });
    const done = window.startJob(source(["G1 X1", "G1 X2", "G1 X3", "G1 X4"]));
    await settle();
    link.takeWritten();
    // 2 fails; 3 and 4 were still on the wire, arrive after the flush and each draw a stale error.
    link.reply("ok\nError:checksum mismatch, Last Line: 1\nResend: 2\nok\n");
    await settle();
    link.reply(
      "Error:Line Number is not Last Line Number+1, Last Line: 1\nResend: 2\nok\n" +
        "Error:Line Number is not Last Line Number+1, Last Line: 1\nResend: 2\nok\n",
    );
    await vi.waitFor(() => expect(link.written().length).toBe(7), FAST);
    // One replay, not three.
    expect(link.takeWritten()).toEqual([wire(2, "G1 X2"), wire(3, "G1 X3"), wire(4, "G1 X4")]);
    link.reply("ok\nok\nok\n");
    await expect(done).resolves.toMatchObject({ lines: 4, resends: 1 });
    expect(window.stats.strayOks).toBe(0);
    expect(link.written()).toHaveLength(7);
  });

  it("takes a stale-line error for a replayed line as a ghost while the replay is on its way", async () => {
    const { link, window } = await setup({ flow: WINDOW });
    const done = window.startJob(source(["G1 X1", "G1 X2", "G1 X3"]));
    await settle();
    link.reply("ok\nError:checksum mismatch, Last Line: 1\nResend: 2\nok\n");
    await vi.waitFor(() => expect(link.written().length).toBe(5), FAST);
    // A straggler from before the rewind arrives after the replay was sent: not a new request.
    link.reply("Error:Line Number is not Last Line Number+1, Last Line: 1\nResend: 2\nok\n");
    await settle();
    link.reply("ok N2 P15 B3\nok N3 P15 B3\n");
    await expect(done).resolves.toMatchObject({ lines: 3, resends: 1 });
    expect(link.written()).toHaveLength(5);
  });

  it("acknowledges lines whose ok was lost when ADVANCED_OK names a later line", async () => {
    const { link, window } = await setup({ flow: WINDOW });
    const done = window.startJob(source(["G1 X1", "G1 X2", "G1 X3"]));
    await settle();
    link.reply("ok N3 P15 B3\n");
    await expect(done).resolves.toMatchObject({ lines: 3 });
  });
});

describe("renumbering", () => {
  it("sends nothing after M110 until its ok (Marlin applies a queued M110 again when it runs)", async () => {
    const { link, window } = await setup({ flow: WINDOW });
    const renumbered = window.renumber(0);
    const moved = window.send("G1 X5");
    await settle();
    expect(link.takeWritten()).toEqual([wire(0, "M110 N0")]);
    link.reply("ok\n");
    await expect(renumbered).resolves.toEqual({ lineNumber: 0, command: "M110 N0" });
    await settle();
    expect(link.takeWritten()).toEqual([wire(1, "G1 X5")]);
    link.reply("ok\n");
    await expect(moved).resolves.toEqual({ lineNumber: 1, command: "G1 X5" });
  });
});

describe("resends", () => {
  it("tolerates a firmware that sends no ok after Resend", async () => {
    const { link, window } = await setup({ okAfterResend: false });
    const done = window.startJob(source(["G1 X1", "G1 X2"]));
    await settle();
    link.takeWritten();
    link.reply("Error:checksum mismatch, Last Line: 0\nResend: 1\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(1, "G1 X1")]);
    link.reply("ok\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(2, "G1 X2")]);
    link.reply("ok\n");
    await expect(done).resolves.toMatchObject({ lines: 2, resends: 1 });
  });

  it("goes on when the expected ok after Resend is missing and another line comes first", async () => {
    const { link, window } = await setup({ okAfterResend: true });
    const done = window.startJob(source(["G1 X1", "G1 X2"]));
    await settle();
    link.takeWritten();
    link.reply("Error:checksum mismatch, Last Line: 0\nResend: 1\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(1, "G1 X1")]);
    link.reply("echo:busy: processing\nok\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(2, "G1 X2")]);
    link.reply("ok\n");
    await expect(done).resolves.toMatchObject({ lines: 2 });
  });

  it("reports an error after 10 consecutive requests for the same line", async () => {
    const { link, window } = await setup();
    const done = window.startJob(source(["G1 X1"]));
    await settle();
    for (let i = 0; i < 10; i++) link.reply("Error:checksum mismatch, Last Line: 0\nResend: 1\nok\n");
    await expect(done).rejects.toMatchObject({ code: "RESEND_LOOP" });
    expect(window.fault?.message).toMatch(/requested line 1 10 times/);
  });

  it("fails clearly when the printer asks for a line the history no longer holds", async () => {
    const { link, window } = await setup({ historySize: 4 });
    const done = window.startJob(source(Array.from({ length: 8 }, (_, i) => `G1 X${i}`)));
    for (let i = 0; i < 6; i++) {
      await settle();
      link.reply("ok\n");
    }
    await settle();
    link.reply("Error:checksum mismatch, Last Line: 0\nResend: 1\nok\n");
    await expect(done).rejects.toMatchObject({ code: "RESEND_UNAVAILABLE" });
  });
});

describe("timeouts", () => {
  it("recovers a lost ok with an early M105 whose reply acknowledges the line before it", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { link, window } = await setup();
    const done = window.startJob(source(["G1 X1", "G1 X2"]));
    await settle();
    expect(link.takeWritten()).toEqual([wire(1, "G1 X1")]);
    vi.advanceTimersByTime(DEFAULT_TIMING.earlyTickleMinMs);
    await settle();
    expect(link.takeWritten()).toEqual([wire(2, "M105")]);
    link.reply("ok T:20.0 /0.0 B:20.0 /0.0 @:0 B@:0\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(3, "G1 X2")]);
    link.reply("ok\n");
    await expect(done).resolves.toMatchObject({ lines: 2, timeouts: 0 });
    expect(window.stats.earlyTickles).toBe(1);
  });

  it("stops after 5 consecutive timeouts while printing, naming the last acknowledged line", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { link, window } = await setup();
    const done = window.startJob(source(["G1 X1", "G1 X2"]));
    const failed = done.catch((err: unknown) => err);
    await settle();
    link.reply("ok\n");
    await settle();
    link.takeWritten();
    // First an early sync (a lost ok is the likeliest cause), then five full timeouts.
    vi.advanceTimersByTime(DEFAULT_TIMING.earlyTickleMinMs);
    await settle();
    expect(link.takeWritten()).toEqual([wire(3, "M105")]);
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(DEFAULT_TIMING.communicationMs);
      await settle();
    }
    const err = await failed;
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: "TIMEOUT" });
    expect((err as HostError).message).toMatch(
      /waiting for 'G1 X2' \(5 timeouts in a row\); last acknowledged: file line 1, N1 'G1 X1'/,
    );
    // Each timeout but the last provoked the firmware with an M105 before giving up.
    expect(link.takeWritten().filter((l) => /M105/.test(l))).toHaveLength(4);
  });

  it("uses 3 s once the firmware has shown busy: keepalives", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { link, window } = await setup();
    const done = window.startJob(source(["G28"]));
    const failed = done.catch((err: unknown) => err);
    await settle();
    link.reply("echo:busy: processing\n");
    await settle();
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(DEFAULT_TIMING.busyCommunicationMs);
      await settle();
    }
    await expect(failed).resolves.toMatchObject({ code: "TIMEOUT" });
  });

  it("lets a long-running command run while busy: lines keep coming", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
    const { link, window } = await setup();
    const done = window.startJob(source(["M109 S215", "G1 X1"]));
    await settle();
    link.takeWritten();
    for (let t = 0; t < 60; t += 2) {
      vi.advanceTimersByTime(2000);
      link.reply(" T:150.0 /215.0 B:60.0 /60.0 @:127 B@:0 W:?\necho:busy: processing\n");
      await settle();
    }
    expect(link.takeWritten()).toEqual([]);
    link.reply("ok\n");
    await settle();
    expect(link.takeWritten()).toEqual([wire(2, "G1 X1")]);
    link.reply("ok\n");
    await expect(done).resolves.toMatchObject({ lines: 2, timeouts: 0 });
  });
});

describe("emergency commands", () => {
  it("sends M112 at once, raw and then numbered, past a full window", async () => {
    const { link, window } = await setup();
    void window.startJob(source(["G1 X1", "G1 X2"])).catch(() => {});
    void window.send("M105").catch(() => {});
    await settle();
    expect(link.takeWritten()).toEqual([wire(1, "G1 X1")]);
    window.emergency("M112");
    await settle();
    expect(link.takeWritten()).toEqual(["M112", wire(2, "M112")]);
  });

  it("sends only the raw line when the firmware has EMERGENCY_PARSER", async () => {
    const { link, window } = await setup({ emergencyParser: true });
    void window.startJob(source(["M109 S215"])).catch(() => {});
    await settle();
    link.takeWritten();
    window.emergency("m108");
    await settle();
    expect(link.takeWritten()).toEqual(["M108"]);
  });

  it("refuses to treat an ordinary command as an emergency", async () => {
    const { window } = await setup();
    expect(() => window.emergency("G1 X5")).toThrow(/not an emergency command/);
  });
});

describe("bad lines", () => {
  it("stops before sending a line the firmware would truncate", async () => {
    const { link, window } = await setup({ maxLineLength: 20 });
    const done: Promise<JobResult> = window.startJob(source(["G1 X1", "M117 this message is far too long"]));
    const failed = done.catch((err: unknown) => err);
    await settle();
    link.reply("ok\n");
    await expect(failed).resolves.toMatchObject({ code: "LINE_TOO_LONG" });
    expect(link.written()).toEqual([wire(1, "G1 X1")]);
  });

  it("survives garbage on the line", async () => {
    const { link, window } = await setup();
    const done = window.startJob(source(["G1 X1"]));
    await settle();
    link.reply("\u0000\u00ff\u00fe garbage \u0013\nok\n");
    await expect(done).resolves.toMatchObject({ lines: 1 });
  });
});
