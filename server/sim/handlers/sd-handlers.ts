import type { Handler } from "../handler-types.ts";
import { MSG } from "../replies.ts";
import { SD_FILES } from "../sd-card.ts";

/** M20 [L]: `Begin file list` / `CUBE.GCO 672986` / `End file list` (`cardreader.cpp` `ls()`). */
export const listFiles: Handler = (ctx) => {
  const long = ctx.config.capabilities.extendedM20 && ctx.params.has("L");
  ctx.emit("Begin file list");
  for (const f of SD_FILES)
    ctx.emit(long ? `${f.shortName} ${f.size} ${f.longName}` : `${f.shortName} ${f.size}`);
  ctx.emit("End file list");
  return undefined;
};

/** M21: mount. */
export const initCard: Handler = (ctx) => {
  ctx.emit(MSG.sdOk);
  return undefined;
};

/** M22: release. */
export const releaseCard: Handler = (ctx) => {
  ctx.sd.reset();
  ctx.emit("echo:SD card released");
  return undefined;
};

/** M23 <name>: `File opened: cube.gco Size: 672986` + `File selected`, or `open failed, File: x.gco.` */
export const selectFile: Handler = (ctx, command) => {
  const name = command.args;
  const file = ctx.sd.find(name);
  if (file === null) {
    ctx.emit(`open failed, File: ${name}.`);
    return undefined;
  }
  ctx.sd.select(file);
  ctx.emit(`File opened: ${name} Size: ${file.size}`);
  ctx.emit("File selected");
  return undefined;
};

/** M24: starts or resumes the selected file; `Done printing file` when it ends. */
export const startPrint: Handler = (ctx) => {
  if (ctx.sd.selected === null) return undefined;
  const endsAt = ctx.sd.start(ctx.clock.now());
  ctx.sd.doneTimer?.cancel();
  ctx.sd.doneTimer = ctx.later(endsAt, () => {
    ctx.sd.finish();
    ctx.emit("Done printing file");
  });
  return undefined;
};

/** M25: pauses the SD print. */
export const pausePrint: Handler = (ctx) => {
  ctx.sd.doneTimer?.cancel();
  ctx.sd.pause(ctx.clock.now());
  return undefined;
};

/** M26 S<byte>: moves the SD position. */
export const seekFile: Handler = (ctx) => {
  const s = ctx.params.value("S");
  if (s !== undefined) {
    ctx.sd.doneTimer?.cancel();
    ctx.sd.seek(s);
  }
  return undefined;
};

/** M27: `SD printing byte 1234/672986` while a file is open (printing or paused), else `Not SD printing`. */
export const reportProgress: Handler = (ctx) => {
  const file = ctx.sd.selected;
  if (file === null) ctx.emit("Not SD printing");
  else ctx.emit(`SD printing byte ${ctx.sd.position(ctx.clock.now())}/${file.size}`);
  return undefined;
};
