import { HistoryDb } from "../../../../server/jobs/history/history-db.ts";
import { silentLogger } from "../../../../server/util/log.ts";

/**
 * Child process of crash-safety.test.ts: `crash-writer.ts <db path> <first sample time>` writes jobs,
 * temperature samples and events in a tight loop until it is killed. Prints `open` once the
 * database is open and `finished <id>` after each job's end has committed. Job n has file
 * `job-n.gcode`, hash `hash-n`, n layers and filament [n, n / 2]; samples commit 8 rows at a time.
 */
const [path, firstSample] = process.argv.slice(2);
if (path === undefined || firstSample === undefined)
  throw new Error("usage: crash-writer.ts <db path> <first sample time>");

const history = new HistoryDb({
  path,
  log: silentLogger(),
  temperatureBatching: { maxRows: 8, maxDelayMs: 3_600_000 },
});
history.open();
process.stdout.write("open\n");

let at = Number(firstSample);
for (let n = 0; ; n++) {
  const id = history.startJob({
    file: `job-${n}.gcode`,
    fileHash: `hash-${n}`,
    user: "crash",
    layers: n,
    estimatedSeconds: n * 10,
  });
  for (let s = 0; s < 5; s++) {
    at += 1000;
    history.recordTemperatures({ T0: { actual: 200 + s, target: 210 }, B: { actual: 60, target: 60 } }, at);
  }
  history.recordEvent({ kind: "job", message: `job ${n}`, jobId: id, data: { n } });
  history.finishJob(id, { result: "done", filamentMm: [n, n / 2] });
  process.stdout.write(`finished ${id}\n`);
}
