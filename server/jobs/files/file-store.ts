import type { Stats } from "node:fs";
import { constants, lstat, mkdir, open, readdir, realpath, rename, rm } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Readable } from "node:stream";
import { HostError } from "../../util/errors.ts";
import { errnoCode, fsyncDir, removeQuietly, storageError, tempPath } from "../../util/fs-util.ts";
import { walk } from "./directory-walk.ts";
import { FileCatalog } from "./file-catalog.ts";
import { normalizeFilePath, normalizeFolderPath, normalizeRelativePath } from "./file-name.ts";
import type {
  DeleteOptions,
  FileEntry,
  FileStoreDeps,
  FolderEntry,
  ListOptions,
  SaveOptions,
  StoredFile,
  StoreEntry,
} from "./file-store-types.ts";
import { inspectPath, resolveInside } from "./safe-path.ts";
import { type StoreLayout, storeLayout } from "./store-layout.ts";
import { openExclusive, tooLarge, writeUpload } from "./upload-writer.ts";

export const DEFAULT_MAX_UPLOAD_BYTES = 1024 ** 3;

interface Started {
  layout: StoreLayout;
  catalog: FileCatalog;
}

function folderEntry(path: string, stats: Stats): FolderEntry {
  return { type: "folder", name: basename(path), path, modifiedMs: stats.mtimeMs };
}

function notFound(what: string, path: string): HostError {
  return new HostError("NOT_FOUND", `no ${what} ${JSON.stringify(path)}`, { name: path });
}

/**
 * The G-code file store: uploads streamed to a temp file and renamed into place, folders, moves and
 * deletes that respect the printing file, and analysis metadata kept per content hash in a hidden
 * `.layerwatch` folder. Paths in and out are relative, normalised by file-name.ts; symbolic links are
 * never followed. Namespace changes (commit, move, delete, mkdir) run one at a time.
 */
export class FileStore {
  readonly #deps: FileStoreDeps;
  #started: Started | null = null;
  #lock: Promise<unknown> = Promise.resolve();

  constructor(deps: FileStoreDeps) {
    this.#deps = deps;
  }

  /** Creates the directories, removes temp files a crash left behind, and reconciles the index with the disk. */
  async start(): Promise<void> {
    const { log } = this.#deps;
    let layout: StoreLayout;
    try {
      await mkdir(this.#deps.root, { recursive: true });
      layout = storeLayout(await realpath(this.#deps.root));
      const stale = await readdir(layout.tmpDir).catch(() => [] as string[]);
      if (stale.length > 0) log.info({ count: stale.length }, "removing temp files left by a crash");
      await removeQuietly(layout.tmpDir);
      for (const dir of [layout.tmpDir, layout.sidecarDir, layout.thumbDir])
        await mkdir(dir, { recursive: true });
    } catch (err) {
      throw storageError(err, this.#deps.root);
    }
    const catalog = new FileCatalog({ layout, analyze: this.#deps.analyze, log });
    const files = (await walk(layout.root, "", true, log)).filter((e) => e.type === "file");
    await catalog.load(files);
    this.#started = { layout, catalog };
    log.info({ root: layout.root, files: files.length }, "file store ready");
  }

  /** Waits for queued analyses and refuses further calls. */
  async stop(): Promise<void> {
    const started = this.#started;
    if (started === null) return;
    await started.catalog.stop();
    await this.#lock;
    this.#started = null;
  }

  /**
   * Streams `body` into `name` (see upload-writer.ts) and returns the stored file; analysis then runs in
   * the background (`waitForAnalysis`). Errors: BAD_NAME, UNSUPPORTED_FILE, TOO_LARGE, CONFLICT (exists,
   * without `overwrite`), BUSY (replacing the printing file), STORAGE (disk full). Nothing partial is
   * ever visible. A rejection before streaming starts leaves `body` unread; one after destroys it.
   */
  async save(name: string, body: Readable, opts: SaveOptions = {}): Promise<StoredFile> {
    // Until the body is read, an error it emits (client gone) must not be unhandled; reading reports it.
    const ignore = () => undefined;
    body.on("error", ignore);
    try {
      return await this.#save(name, body, opts);
    } finally {
      body.off("error", ignore);
    }
  }

  async #save(name: string, body: Readable, opts: SaveOptions): Promise<StoredFile> {
    const { layout, catalog } = this.#ready();
    const relPath = normalizeFilePath(name);
    const overwrite = opts.overwrite === true;
    const maxBytes = this.#deps.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
    if (opts.declaredBytes !== undefined && opts.declaredBytes > maxBytes) throw tooLarge(relPath, maxBytes);
    await this.#checkTarget(relPath, overwrite);
    const temp = tempPath(layout.tmpDir);
    const openForWrite = this.#deps.openForWrite ?? openExclusive;
    const { hash, size } = await writeUpload(body, temp, { maxBytes, label: relPath, openForWrite });
    const abs = resolveInside(layout.root, relPath);
    const stats = await this.#exclusive(async () => {
      try {
        await this.#checkTarget(relPath, overwrite);
        await mkdir(dirname(abs), { recursive: true });
        await rename(temp, abs);
        await fsyncDir(dirname(abs));
      } catch (err) {
        await removeQuietly(temp);
        throw storageError(err, relPath);
      }
      const after = await lstat(abs);
      await catalog.stored(relPath, { hash, size, mtimeMs: after.mtimeMs });
      return after;
    });
    this.#deps.log.info({ path: relPath, size, hash }, "file stored");
    return catalog.entry(relPath, stats);
  }

  /** Files and folders of `folder` (root when omitted), sorted by path. NOT_FOUND if the folder is missing. */
  async list(folder?: string, opts: ListOptions = {}): Promise<StoreEntry[]> {
    const { layout, catalog } = this.#ready();
    const rel = folder === undefined || folder === "" ? "" : normalizeFolderPath(folder);
    if (rel !== "" && !(await inspectPath(layout.root, rel))?.isDirectory()) throw notFound("folder", rel);
    const entries: StoreEntry[] = [];
    for (const e of await walk(layout.root, rel, opts.recursive === true, this.#deps.log)) {
      if (e.type === "folder") entries.push(folderEntry(e.path, e.stats));
      else {
        const file = await catalog.entry(e.path, e.stats).catch((err: unknown) => {
          if (errnoCode(err) === "ENOENT") return null; // deleted while listing
          throw err;
        });
        if (file !== null) entries.push(file);
      }
    }
    return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The file's entry with its analysis state. NOT_FOUND if missing. */
  async get(relPath: string): Promise<FileEntry> {
    const rel = normalizeFilePath(relPath);
    return this.#ready().catalog.entry(rel, await this.#existingFile(rel));
  }

  /** The file's entry once its analysis is ready or failed. */
  async waitForAnalysis(relPath: string): Promise<FileEntry> {
    const { catalog } = this.#ready();
    for (;;) {
      const entry = await this.get(relPath);
      if (entry.analysis.status !== "pending" || !catalog.isQueued(entry.hash)) return entry;
      await catalog.whenAnalyzed(entry.hash);
    }
  }

  /** A stream of the file's bytes, for download. NOT_FOUND if missing. */
  async open(relPath: string): Promise<Readable> {
    const rel = normalizeFilePath(relPath);
    await this.#existingFile(rel);
    try {
      const handle = await open(
        resolveInside(this.#ready().layout.root, rel),
        constants.O_RDONLY | constants.O_NOFOLLOW,
      );
      return handle.createReadStream();
    } catch (err) {
      if (errnoCode(err) === "ENOENT") throw notFound("file", rel);
      if (errnoCode(err) === "ELOOP")
        throw new HostError("BAD_NAME", `${JSON.stringify(rel)} is a symbolic link`);
      throw err;
    }
  }

  /** Where the printer streams the file from. NOT_FOUND if missing. */
  async absolutePath(relPath: string): Promise<string> {
    const rel = normalizeFilePath(relPath);
    await this.#existingFile(rel);
    return resolveInside(this.#ready().layout.root, rel);
  }

  /** Renames or moves a file or folder, creating the target's folders. CONFLICT if the target exists. */
  async move(from: string, to: string): Promise<StoreEntry> {
    const { layout, catalog } = this.#ready();
    const src = normalizeRelativePath(from);
    return await this.#exclusive(async () => {
      const stats = await inspectPath(layout.root, src);
      if (stats === null || !(stats.isFile() || stats.isDirectory())) throw notFound("file or folder", src);
      const isFolder = stats.isDirectory();
      if (!isFolder) normalizeFilePath(src);
      const dest = isFolder ? normalizeFolderPath(to) : normalizeFilePath(to);
      if (isFolder && dest.startsWith(`${src}/`)) {
        throw new HostError("BAD_NAME", `cannot move folder ${JSON.stringify(src)} into itself`, {
          name: dest,
        });
      }
      await this.#refuseIfPrinting(src, isFolder, "moved");
      if ((await inspectPath(layout.root, dest)) !== null) {
        throw new HostError("CONFLICT", `${JSON.stringify(dest)} already exists`, { name: dest });
      }
      const absFrom = resolveInside(layout.root, src);
      const absTo = resolveInside(layout.root, dest);
      try {
        await mkdir(dirname(absTo), { recursive: true });
        await rename(absFrom, absTo);
        await fsyncDir(dirname(absTo));
        if (dirname(absFrom) !== dirname(absTo)) await fsyncDir(dirname(absFrom));
      } catch (err) {
        throw storageError(err, dest);
      }
      await catalog.moved(src, dest);
      this.#deps.log.info({ from: src, to: dest }, "moved");
      const after = await lstat(absTo);
      return isFolder ? folderEntry(dest, after) : catalog.entry(dest, after);
    });
  }

  /** Deletes a file, or a folder (empty unless `recursive`). BUSY if it is or holds the printing file. */
  async delete(relPath: string, opts: DeleteOptions = {}): Promise<void> {
    const { layout, catalog } = this.#ready();
    const rel = normalizeRelativePath(relPath);
    return await this.#exclusive(async () => {
      const stats = await inspectPath(layout.root, rel);
      const abs = resolveInside(layout.root, rel);
      if (stats?.isDirectory()) {
        await this.#refuseIfPrinting(rel, true, "deleted");
        if (opts.recursive !== true && (await readdir(abs)).length > 0) {
          throw new HostError("CONFLICT", `folder ${JSON.stringify(rel)} is not empty`, { name: rel });
        }
      } else if (stats?.isFile()) {
        normalizeFilePath(rel);
        await this.#refuseIfPrinting(rel, false, "deleted");
      } else {
        throw notFound("file or folder", rel);
      }
      try {
        await rm(abs, { recursive: true });
        await fsyncDir(dirname(abs));
      } catch (err) {
        throw storageError(err, rel);
      }
      await catalog.deleted(rel);
      this.#deps.log.info({ path: rel }, "deleted");
    });
  }

  /** Creates a folder and its parents. CONFLICT if it exists. */
  async createFolder(relPath: string): Promise<FolderEntry> {
    const { layout } = this.#ready();
    const rel = normalizeFolderPath(relPath);
    return await this.#exclusive(async () => {
      if ((await inspectPath(layout.root, rel)) !== null) {
        throw new HostError("CONFLICT", `${JSON.stringify(rel)} already exists`, { name: rel });
      }
      const abs = resolveInside(layout.root, rel);
      try {
        await mkdir(abs, { recursive: true });
        await fsyncDir(dirname(abs));
      } catch (err) {
        throw storageError(err, rel);
      }
      return folderEntry(rel, await lstat(abs));
    });
  }

  #ready(): Started {
    if (this.#started === null) throw new HostError("INVALID_STATE", "the file store is not started");
    return this.#started;
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(task);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  async #existingFile(rel: string): Promise<Stats> {
    const stats = await inspectPath(this.#ready().layout.root, rel);
    if (stats === null || !stats.isFile()) throw notFound("file", rel);
    return stats;
  }

  /** CONFLICT unless `rel` is free, or (with `overwrite`) a file that is not printing (else BUSY). */
  async #checkTarget(rel: string, overwrite: boolean): Promise<void> {
    const stats = await inspectPath(this.#ready().layout.root, rel);
    if (stats === null) return;
    if (!stats.isFile()) throw new HostError("CONFLICT", `${JSON.stringify(rel)} exists and is not a file`);
    if (!overwrite) throw new HostError("CONFLICT", `${JSON.stringify(rel)} already exists`, { name: rel });
    if (this.#deps.isPrinting(rel)) {
      throw new HostError("BUSY", `${JSON.stringify(rel)} is printing and cannot be replaced`, { name: rel });
    }
  }

  async #refuseIfPrinting(rel: string, isFolder: boolean, verb: string): Promise<void> {
    const { layout } = this.#ready();
    const files = isFolder
      ? (await walk(layout.root, rel, true, this.#deps.log))
          .filter((e) => e.type === "file")
          .map((e) => e.path)
      : [rel];
    const printing = files.find((path) => this.#deps.isPrinting(path));
    if (printing === undefined) return;
    const what =
      printing === rel ? JSON.stringify(rel) : `${JSON.stringify(printing)} in ${JSON.stringify(rel)}`;
    throw new HostError("BUSY", `${what} is printing; it cannot be ${verb}`, { name: printing });
  }
}
