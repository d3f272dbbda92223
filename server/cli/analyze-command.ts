import { access } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { AnalysisOptions } from "../jobs/analysis/analysis-options.ts";
import { analyzeInWorker } from "../jobs/analysis/analyze-in-worker.ts";
import { loadFirmwareProfile } from "../printer/firmware-profile.ts";
import { HostError, isHostError } from "../util/errors.ts";

const HELP = `usage: layerwatch analyze [--profile ID] FILE
  Prints one JSON object: estimatedSeconds (motion time, comparable with the slicer's estimate),
  heatUpSeconds (M190/M109 waits from 25 °C), totalSeconds, layers, layerIndex, filamentMm, boundingBox,
  longestLine, slicer (the file's own metadata) and thumbnails (sizes only). FILE may be gzip-compressed.
  --profile ID   firmware profile (firmware-profiles/ID.json) whose motion defaults and heater rates the
                 estimate starts from; default: Marlin 2 defaults with classic jerk.`;

function parse(argv: string[]): { help: boolean; profile: string | undefined; files: string[] } {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { help: { type: "boolean", short: "h" }, profile: { type: "string" } },
      allowPositionals: true,
      strict: true,
    });
    return { help: values.help === true, profile: values.profile, files: positionals };
  } catch (err) {
    throw new HostError("USAGE", `${(err as Error).message}\n\n${HELP}`);
  }
}

/** `layerwatch analyze FILE`: analyses the file on a worker thread and prints the result as one JSON object. */
export async function runAnalyzeCommand(argv: string[]): Promise<number> {
  const { help, profile, files } = parse(argv);
  if (help) {
    console.log(HELP);
    return 0;
  }
  const [path, ...extra] = files;
  if (path === undefined || extra.length > 0)
    throw new HostError("USAGE", `exactly one FILE is required\n\n${HELP}`);
  const options: AnalysisOptions =
    profile === undefined ? {} : { motion: loadFirmwareProfile(profile).motion };
  try {
    await access(path);
  } catch {
    console.error(`layerwatch analyze: cannot read '${path}': no such file or not readable`);
    return 1;
  }
  let analysis: Awaited<ReturnType<typeof analyzeInWorker>>;
  try {
    analysis = await analyzeInWorker(path, options);
  } catch (err) {
    if (!isHostError(err)) throw err;
    console.error(`layerwatch analyze: ${err.message} [${err.code}]`);
    return 1;
  }
  const thumbnails = analysis.thumbnails.map(({ width, height, format, data }) => ({
    width,
    height,
    format,
    bytes: data.length,
  }));
  console.log(JSON.stringify({ file: path, ...analysis, thumbnails }));
  return 0;
}
