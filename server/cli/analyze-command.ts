import { access } from "node:fs/promises";
import { analyzeGcodeFile } from "../jobs/analysis/analyze-file.ts";
import { HostError } from "../util/errors.ts";

const HELP = `usage: layerwatch analyze FILE
  Prints one JSON object: estimatedSeconds, layers, layerIndex, filamentMm, boundingBox, longestLine,
  slicer (the file's own metadata) and thumbnails (sizes only). FILE may be gzip-compressed.`;

/** `layerwatch analyze FILE`: streams the file through the analyser and prints the result as one JSON object. */
export async function runAnalyzeCommand(argv: string[]): Promise<number> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(HELP);
    return 0;
  }
  const files = argv.filter((arg) => !arg.startsWith("-"));
  const unknown = argv.filter((arg) => arg.startsWith("-"));
  if (unknown.length > 0) throw new HostError("USAGE", `unknown option '${unknown[0]}'\n\n${HELP}`);
  const [path, ...extra] = files;
  if (path === undefined || extra.length > 0)
    throw new HostError("USAGE", `exactly one FILE is required\n\n${HELP}`);
  try {
    await access(path);
  } catch {
    console.error(`layerwatch analyze: cannot read '${path}': no such file or not readable`);
    return 1;
  }
  const analysis = await analyzeGcodeFile(path);
  const thumbnails = analysis.thumbnails.map(({ width, height, format, data }) => ({
    width,
    height,
    format,
    bytes: data.length,
  }));
  console.log(JSON.stringify({ file: path, ...analysis, thumbnails }));
  return 0;
}
