import { listSerialPorts } from "../serial/port-list.ts";

/** `layerwatch ports`: serial ports with their USB names and stable by-id paths, as JSON lines. */
export async function runPortsCommand(_argv: string[]): Promise<number> {
  const ports = await listSerialPorts();
  for (const port of ports) console.log(JSON.stringify(port));
  if (ports.length === 0) console.error("no serial ports found");
  return 0;
}
