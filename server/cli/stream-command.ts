import { parseArgs } from "node:util";
import type { FlowRequest } from "../gcode/flow-control.ts";
import { commandSource, findUnsendableLines, readGcodeCommands } from "../gcode/gcode-file.ts";
import { loadFirmwareProfiles } from "../printer/firmware-profile.ts";
import { Printer } from "../printer/printer.ts";
import { systemBinding } from "../serial/system-binding.ts";
import { HostError } from "../util/errors.ts";
import { createRootLogger } from "../util/log.ts";

const HELP = `usage: layerwatch stream --port PATH [--baud N] [--window auto|1|N] [--profile NAME] FILE

Streams FILE (.gcode, or gzip-compressed) to the printer as a print and prints one JSON line:
{"lines":…,"seconds":…,"linesPerSecond":…,"resends":…,"timeouts":…}
Exit status 0 only when every line was acknowledged.`;

export function parseWindow(value: string): FlowRequest {
  if (value === "auto") return "auto";
  if (/^\d+$/.test(value) && Number(value) >= 1) return Number(value);
  throw new HostError("USAGE", `--window takes auto, 1 (ping-pong) or a number of lines, not '${value}'`);
}

export function parseBaud(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value) && Number(value) > 0) return Number(value);
  throw new HostError("USAGE", `--baud takes a positive number, not '${value}'`);
}

export async function runStreamCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: "string" },
      baud: { type: "string" },
      window: { type: "string" },
      profile: { type: "string" },
      "log-level": { type: "string" },
      help: { type: "boolean" },
    },
  });
  if (values.help) {
    console.log(HELP);
    return 0;
  }
  const file = positionals[0];
  if (values.port === undefined || file === undefined || positionals.length > 1) {
    throw new HostError("USAGE", `--port and one FILE are required\n\n${HELP}`);
  }
  const flow = values.window === undefined ? undefined : parseWindow(values.window);
  const baudRate = parseBaud(values.baud);
  const log = createRootLogger({ level: values["log-level"] ?? "warn" });
  const gcode = await readGcodeCommands(file);
  const printer = new Printer({ log, binding: systemBinding(), profiles: loadFirmwareProfiles() });
  const info = await printer.connect({
    path: values.port,
    ...(baudRate !== undefined ? { baudRate } : {}),
    ...(values.profile !== undefined ? { profile: values.profile } : {}),
    ...(flow !== undefined ? { flow } : {}),
  });
  try {
    const problems = findUnsendableLines(gcode, info.profile.serial.maxLineLength);
    if (problems.length > 0) {
      const shown = problems
        .slice(0, 5)
        .map((p) => `  line ${p.ref}: ${p.reason}: ${p.command.slice(0, 60)}`);
      throw new HostError(
        "LINE_TOO_LONG",
        `${file} has ${problems.length} line(s) the firmware cannot take:\n${shown.join("\n")}`,
      );
    }
    const result = await printer.print(commandSource(gcode));
    const summary = {
      lines: result.lines,
      seconds: Number(result.seconds.toFixed(3)),
      linesPerSecond: Math.round(result.lines / result.seconds),
      resends: result.resends,
      timeouts: result.timeouts,
    };
    console.log(JSON.stringify(summary));
    if (result.lines !== gcode.commands.length) {
      console.error(
        `layerwatch stream: only ${result.lines} of ${gcode.commands.length} lines were acknowledged`,
      );
      return 1;
    }
    return 0;
  } finally {
    await printer.disconnect();
  }
}
