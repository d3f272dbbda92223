import { readdir, readFile, readlink, realpath, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";

export interface SerialPortInfo {
  /** Device node, e.g. `/dev/ttyACM0`. */
  path: string;
  /** Stable path under `/dev/serial/by-id` when udev made one (survives re-plugging). */
  byIdPath: string | null;
  /** USB vendor/product ids (hex, lower-case) and the strings the device reports. */
  vendorId: string | null;
  productId: string | null;
  manufacturer: string | null;
  product: string | null;
  serialNumber: string | null;
}

/** Device names that can be a printer: USB-serial bridges, CDC-ACM boards, the Pi's own UARTs. */
const CANDIDATE = /^(ttyUSB|ttyACM|ttyAMA|ttyS|rfcomm)\d+$/;

export interface PortListRoots {
  sysClassTty: string;
  devSerialById: string;
  dev: string;
}

const LINUX_ROOTS: PortListRoots = {
  sysClassTty: "/sys/class/tty",
  devSerialById: "/dev/serial/by-id",
  dev: "/dev",
};

/**
 * Lists serial ports from sysfs, without udevadm (serialport's Linux `list()` spawns udevadm and
 * fails where it is missing, e.g. in containers). Legacy `ttyS` entries without a driver are skipped.
 */
export async function listSerialPorts(roots: PortListRoots = LINUX_ROOTS): Promise<SerialPortInfo[]> {
  const byId = await readByIdLinks(roots.devSerialById);
  const names = (await readdir(roots.sysClassTty).catch(() => [] as string[])).filter((n) =>
    CANDIDATE.test(n),
  );
  const ports: SerialPortInfo[] = [];
  for (const name of names.sort()) {
    const deviceDir = join(roots.sysClassTty, name, "device");
    const driver = await readlink(join(deviceDir, "driver")).catch(() => null);
    if (driver === null) continue;
    if (name.startsWith("ttyS") && basename(driver) === "serial8250") continue;
    const usb = await findUsbDevice(await realpath(deviceDir).catch(() => deviceDir));
    const path = join(roots.dev, name);
    ports.push({
      path,
      byIdPath: byId.get(path) ?? null,
      vendorId: usb ? await readAttr(usb, "idVendor") : null,
      productId: usb ? await readAttr(usb, "idProduct") : null,
      manufacturer: usb ? await readAttr(usb, "manufacturer") : null,
      product: usb ? await readAttr(usb, "product") : null,
      serialNumber: usb ? await readAttr(usb, "serial") : null,
    });
  }
  return ports;
}

async function readByIdLinks(dir: string): Promise<Map<string, string>> {
  const links = new Map<string, string>();
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    const link = join(dir, entry);
    const target = await readlink(link).catch(() => null);
    if (target !== null) links.set(resolve(dir, target), link);
  }
  return links;
}

/** Walks up from the tty's device directory to the USB device that carries idVendor/idProduct. */
async function findUsbDevice(start: string): Promise<string | null> {
  let dir = start;
  for (let depth = 0; depth < 6 && dir !== "/"; depth++) {
    const found = await stat(join(dir, "idVendor")).then(
      () => true,
      () => false,
    );
    if (found) return dir;
    dir = dirname(dir);
  }
  return null;
}

async function readAttr(dir: string, name: string): Promise<string | null> {
  const text = await readFile(join(dir, name), "utf8").catch(() => null);
  return text === null ? null : text.trim();
}
