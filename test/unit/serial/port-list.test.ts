import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listSerialPorts } from "../../../server/serial/port-list.ts";

/**
 * A sysfs tree as Linux lays it out for a CDC-ACM board (Prusa MK3 "Original Prusa i3 MK3"),
 * a CH340 bridge, and a legacy 8250 UART without hardware.
 */
function fakeSystem(): { sysClassTty: string; devSerialById: string; dev: string } {
  const root = mkdtempSync(join(tmpdir(), "layerwatch-sysfs-"));
  const devices = join(root, "sys/devices/platform/usb1/1-1");
  const sysClassTty = join(root, "sys/class/tty");
  const dev = join(root, "dev");
  const devSerialById = join(dev, "serial/by-id");
  mkdirSync(sysClassTty, { recursive: true });
  mkdirSync(devSerialById, { recursive: true });
  const usbTty = (name: string, usb: string, attrs: Record<string, string>, driver: string) => {
    const usbDir = join(devices, usb);
    const iface = join(usbDir, `${usb}:1.0`);
    mkdirSync(join(iface, "tty", name), { recursive: true });
    for (const [key, value] of Object.entries(attrs)) writeFileSync(join(usbDir, key), `${value}\n`);
    mkdirSync(join(root, "drivers", driver), { recursive: true });
    symlinkSync(join(root, "drivers", driver), join(iface, "driver"));
    mkdirSync(join(sysClassTty, name));
    symlinkSync(iface, join(sysClassTty, name, "device"));
  };
  usbTty(
    "ttyACM0",
    "1-1.2",
    {
      idVendor: "2c99",
      idProduct: "0002",
      manufacturer: "Prusa Research (prusa3d.com)",
      product: "Original Prusa i3 MK3",
      serial: "CZPX1017X003XK00915",
    },
    "cdc_acm",
  );
  usbTty("ttyUSB0", "1-1.3", { idVendor: "1a86", idProduct: "7523", product: "USB Serial" }, "ch341-uart");
  // ttyS0: a legacy UART the kernel always creates, with no hardware behind it.
  const legacy = join(root, "sys/devices/platform/serial8250/tty/ttyS0");
  mkdirSync(legacy, { recursive: true });
  mkdirSync(join(root, "drivers", "serial8250"), { recursive: true });
  symlinkSync(join(root, "drivers", "serial8250"), join(legacy, "driver"));
  mkdirSync(join(sysClassTty, "ttyS0"));
  symlinkSync(legacy, join(sysClassTty, "ttyS0", "device"));
  mkdirSync(join(sysClassTty, "tty1")); // a virtual console: never a printer
  symlinkSync(
    "../../ttyACM0",
    join(devSerialById, "usb-Prusa_Research__prusa3d.com__Original_Prusa_i3_MK3_CZPX1017X003XK00915-if00"),
  );
  return { sysClassTty, devSerialById, dev };
}

describe("listSerialPorts", () => {
  it("lists USB serial ports with their names, ids and stable by-id paths", async () => {
    const roots = fakeSystem();
    const ports = await listSerialPorts(roots);
    expect(ports).toEqual([
      {
        path: join(roots.dev, "ttyACM0"),
        byIdPath: join(
          roots.devSerialById,
          "usb-Prusa_Research__prusa3d.com__Original_Prusa_i3_MK3_CZPX1017X003XK00915-if00",
        ),
        vendorId: "2c99",
        productId: "0002",
        manufacturer: "Prusa Research (prusa3d.com)",
        product: "Original Prusa i3 MK3",
        serialNumber: "CZPX1017X003XK00915",
      },
      {
        path: join(roots.dev, "ttyUSB0"),
        byIdPath: null,
        vendorId: "1a86",
        productId: "7523",
        manufacturer: null,
        product: "USB Serial",
        serialNumber: null,
      },
    ]);
  });

  it("returns nothing when there is no sysfs", async () => {
    await expect(
      listSerialPorts({ sysClassTty: "/nonexistent/tty", devSerialById: "/nonexistent/by-id", dev: "/dev" }),
    ).resolves.toEqual([]);
  });
});
