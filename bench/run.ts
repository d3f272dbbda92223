import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { benchAnalysis } from "./analysis.ts";
import { benchPush } from "./push.ts";
import { benchStall } from "./push-stall.ts";
import { benchRender } from "./render.ts";
import { benchStreaming } from "./streaming.ts";
import { benchCamera } from "./timelapse-load.ts";
import { benchWeb } from "./web.ts";

const SUITES = {
  streaming: benchStreaming,
  analysis: benchAnalysis,
  push: benchPush,
  stall: benchStall,
  render: benchRender,
  camera: benchCamera,
  web: benchWeb,
} as const;
type Suite = keyof typeof SUITES;

/** `npm run bench [-- --only streaming|analysis|push|stall|render|camera]`: prints each figure and writes bench/results/<suite>.json. */
export async function runBench(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { only: { type: "string" } } });
  const names = (values.only?.split(",") ?? Object.keys(SUITES)) as Suite[];
  const outDir = resolve(import.meta.dirname, "results");
  mkdirSync(outDir, { recursive: true });
  for (const name of names) {
    const suite = SUITES[name];
    if (suite === undefined) {
      console.error(`unknown bench suite '${name}' (known: ${Object.keys(SUITES).join(", ")})`);
      return 2;
    }
    console.log(`## ${name}`);
    const report = await suite((line) => console.log(line));
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  }
  return 0;
}
