// `layerwatch stream` in a process of its own, followed by that process's CPU time and peak RSS on
// stderr as `usage {"cpuSeconds":…,"maxRssMb":…}`. Run with `node --import tsx bench/measured-stream.ts …`.
import { runStreamCommand } from "../server/cli/stream-command.ts";

const code = await runStreamCommand(process.argv.slice(2));
const usage = process.resourceUsage();
const cpuSeconds = (usage.userCPUTime + usage.systemCPUTime) / 1e6;
process.stderr.write(`usage ${JSON.stringify({ cpuSeconds, maxRssMb: usage.maxRSS / 1024 })}\n`);
process.exitCode = code;
