import { randomUUID } from "node:crypto";
import { link, mkdir, open, readFile } from "node:fs/promises";
import { join } from "node:path";
import { errnoCode, fsyncDir, removeQuietly, storageError, tempPath } from "../../util/fs-util.ts";

/** The file in the data directory that holds this installation's id. */
export const INSTALL_ID_FILE = "install-id";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * This installation's stable UUID, created on first use: what OctoPrint clients take as the
 * printer's identity (Home Assistant's unique id is `plugins.discovery.upnpUuid` from /api/settings
 * and the `uuid` TXT key of the mDNS announcement, and both must agree). Created with link(2) from a
 * synced temp file, so two callers racing at first boot end up with the same id; a damaged file is
 * replaced.
 */
export async function loadInstallId(dataDir: string): Promise<string> {
  const file = join(dataDir, INSTALL_ID_FILE);
  const existing = await readId(file);
  if (existing !== null) return existing;
  await mkdir(dataDir, { recursive: true });
  const id = randomUUID();
  const tmp = tempPath(dataDir, ".install-id.tmp");
  try {
    const handle = await open(tmp, "wx", 0o644);
    try {
      await handle.writeFile(`${id}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await link(tmp, file).catch(async (err: unknown) => {
      if (errnoCode(err) !== "EEXIST") throw err;
      // Another caller won the race, or the file is damaged: keep a valid one, else replace it.
      if ((await readId(file)) === null) await removeQuietly(file).then(() => link(tmp, file));
    });
    await fsyncDir(dataDir);
  } catch (err) {
    throw storageError(err, file);
  } finally {
    await removeQuietly(tmp);
  }
  return (await readId(file)) ?? id;
}

async function readId(file: string): Promise<string | null> {
  try {
    const text = (await readFile(file, "utf8")).trim().toLowerCase();
    return UUID.test(text) ? text : null;
  } catch (err) {
    if (errnoCode(err) === "ENOENT") return null;
    throw err;
  }
}
