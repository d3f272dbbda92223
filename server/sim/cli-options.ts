import { HostError } from "../util/errors.ts";
import type { SimConfig } from "./config.ts";

export const SIM_USAGE = `usage: layerwatch sim --link PATH [options]

Runs the simulated printer on a new pseudo-terminal; PATH becomes a symlink to it. Prints
"ready PATH" once a host can open it; SIGINT/SIGTERM stop it.

link:
  --link PATH                 symlink to create (required)
  --baud-pace N               pace the link at N baud (N/10 bytes/s each way); default unpaced
  --latency MS                one-way latency in milliseconds (default 0)
firmware:
  --profile NAME              firmware-profiles/NAME.json (default marlin-2)
  --speed F                   simulated time factor: 1 real time, 10 faster, 0 zero time (default 1)
  --advanced-ok, --no-advanced-ok         ok N<n> P<planner> B<slots>
  --emergency-parser, --no-emergency-parser
  --autoreport, --no-autoreport           M155 temperature auto-report
  --busy, --no-busy                       host keepalive (echo:busy: processing)
  --host-actions, --no-host-actions       //action: lines (M600 announces paused/resumed)
  --rx-buffer N               UART receive buffer bytes (profile: 128)
  --bufsize N                 command queue slots (profile: 4)
  --max-line N                line buffer incl. terminator (profile: 96)
  --command-time-ms MS        simulated processing time of every command (default 0)
  --boot-delay MS             real time from a reset to the banner (default 0)
  --filament-change-ms MS     simulated time M600 waits for the user unless M108 comes (default 5000)
  --no-reset-on-open          opening the port does not reset the board
faults (deterministic for a seed):
  --seed N                    fault generator seed (default 1)
  --corrupt RATIO             alter one byte in that fraction of received numbered lines
  --drop-ok RATIO             never send that fraction of oks of numbered commands
  --garbage RATIO             precede that fraction of output lines with a line of random bytes
  --reset-at-line N           the firmware resets when line N arrives
  --disconnect-at-line N      the link drops when line N arrives (the process then exits 0)
  --thermal-runaway-at-line N thermal runaway halts the firmware when line N arrives
recording:
  --record FILE               every executed command, one per line (no N, no checksum)`;

export interface SimOptions {
  help: boolean;
  link: string;
  profile: string;
  /** Applied over `defaultSimConfig(profile)`. */
  apply: (config: SimConfig) => void;
}

type Step = (config: SimConfig) => void;
type Parser = (value: string, name: string) => Step;

const flags: Record<string, Step> = {
  "--advanced-ok": (c) => {
    c.capabilities.advancedOk = true;
  },
  "--no-advanced-ok": (c) => {
    c.capabilities.advancedOk = false;
  },
  "--emergency-parser": (c) => {
    c.capabilities.emergencyParser = true;
  },
  "--no-emergency-parser": (c) => {
    c.capabilities.emergencyParser = false;
  },
  "--autoreport": (c) => {
    c.capabilities.autoreportTemp = true;
  },
  "--no-autoreport": (c) => {
    c.capabilities.autoreportTemp = false;
  },
  "--busy": (c) => {
    c.capabilities.busyProtocol = true;
  },
  "--no-busy": (c) => {
    c.capabilities.busyProtocol = false;
  },
  "--host-actions": (c) => {
    c.capabilities.hostActionCommands = true;
  },
  "--no-host-actions": (c) => {
    c.capabilities.hostActionCommands = false;
  },
  "--no-reset-on-open": (c) => {
    c.resetOnOpen = false;
  },
};

/** Each option validates its value at parse time and returns the change it makes. */
const valued: Record<string, Parser> = {
  "--baud-pace": (v, n) => {
    const bytesPerSecond = integer(n, v, 1) / 10;
    return (c) => {
      c.link.bytesPerSecond = bytesPerSecond;
    };
  },
  "--latency": (v, n) => {
    const ms = number(n, v, 0);
    return (c) => {
      c.link.latencyMs = ms;
    };
  },
  "--speed": (v, n) => {
    const speed = number(n, v, 0);
    return (c) => {
      c.speed = speed;
    };
  },
  "--rx-buffer": (v, n) => {
    const bytes = integer(n, v, 1);
    return (c) => {
      c.rxBufferBytes = bytes;
    };
  },
  "--bufsize": (v, n) => {
    const slots = integer(n, v, 1);
    return (c) => {
      c.commandBufferSlots = slots;
    };
  },
  "--max-line": (v, n) => {
    const length = integer(n, v, 2);
    return (c) => {
      c.maxLineLength = length;
    };
  },
  "--command-time-ms": (v, n) => {
    const ms = number(n, v, 0);
    return (c) => {
      c.commandTimeMs = ms;
    };
  },
  "--filament-change-ms": (v, n) => {
    const ms = number(n, v, 0);
    return (c) => {
      c.filamentChangeMs = ms;
    };
  },
  "--boot-delay": (v, n) => {
    const ms = number(n, v, 0);
    return (c) => {
      c.bootDelayMs = ms;
    };
  },
  "--seed": (v, n) => {
    const seed = integer(n, v, 0);
    return (c) => {
      c.seed = seed;
    };
  },
  "--corrupt": (v, n) => {
    const r = ratio(n, v);
    return (c) => {
      c.faults.corruptRatio = r;
    };
  },
  "--drop-ok": (v, n) => {
    const r = ratio(n, v);
    return (c) => {
      c.faults.dropOkRatio = r;
    };
  },
  "--garbage": (v, n) => {
    const r = ratio(n, v);
    return (c) => {
      c.faults.garbageRatio = r;
    };
  },
  "--reset-at-line": (v, n) => {
    const line = integer(n, v, 0);
    return (c) => {
      c.faults.resetAtLine = line;
    };
  },
  "--disconnect-at-line": (v, n) => {
    const line = integer(n, v, 0);
    return (c) => {
      c.faults.disconnectAtLine = line;
    };
  },
  "--thermal-runaway-at-line": (v, n) => {
    const line = integer(n, v, 0);
    return (c) => {
      c.faults.thermalRunawayAtLine = line;
    };
  },
  "--record": (v) => (c) => {
    c.record.file = v;
  },
};

/** Parses `layerwatch sim` arguments; throws `HostError("USAGE")` with a clear message. */
export function parseSimArgs(argv: readonly string[]): SimOptions {
  let link: string | null = null;
  let profile = "marlin-2";
  let help = false;
  const steps: Step[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    if (name === "--help" || name === "-h") {
      help = true;
      continue;
    }
    const flag = flags[name];
    if (flag !== undefined) {
      if (inline !== undefined) usage(`${name} takes no value`);
      steps.push(flag);
      continue;
    }
    if (name !== "--link" && name !== "--profile" && valued[name] === undefined)
      usage(`unknown option '${arg}'`);
    const value = inline ?? argv[++i];
    if (value === undefined || value === "") usage(`${name} needs a value`);
    if (name === "--link") link = value;
    else if (name === "--profile") profile = profileName(value);
    else steps.push((valued[name] as Parser)(value, name));
  }
  if (!help && link === null) usage("--link PATH is required");
  return {
    help,
    link: link ?? "",
    profile,
    apply: (config) => {
      for (const step of steps) step(config);
    },
  };
}

function profileName(value: string): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(value))
    usage(`--profile must be a profile name like marlin-2 (got '${value}')`);
  return value;
}

function integer(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min)
    usage(`${name} must be an integer >= ${min} (got '${value}')`);
  return n;
}

function number(name: string, value: string, min: number): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < min)
    usage(`${name} must be a number >= ${min} (got '${value}')`);
  return n;
}

function ratio(name: string, value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1)
    usage(`${name} must be a ratio between 0 and 1 (got '${value}')`);
  return n;
}

function usage(message: string): never {
  throw new HostError("USAGE", message);
}
