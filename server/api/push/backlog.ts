import type { Socket } from "socket.io";

/**
 * The engine.io internals a backlog is read from (engine.io 6, `ws` 8): the connection's
 * `writeBuffer` holds packets while the transport is busy (it stays busy until `ws` reports the
 * last write done, i.e. handed to the kernel), and the WebSocket transport's `socket` is the `ws`
 * connection, whose `bufferedAmount` counts bytes given to `ws` but not yet to the kernel.
 * Missing fields (another transport, a future version) count as nothing queued.
 */
interface EngineConnection {
  writeBuffer?: { data?: unknown }[];
  transport?: { socket?: { bufferedAmount?: unknown } };
}

function sizeOf(data: unknown): number {
  if (typeof data === "string") return data.length;
  if (data instanceof ArrayBuffer || ArrayBuffer.isView(data)) return data.byteLength;
  return 0;
}

/** Bytes queued on the server for this socket's client: what a slow client costs in memory. */
export function backlogBytes(socket: Socket): number {
  const conn = socket.conn as unknown as EngineConnection;
  let bytes = 0;
  for (const packet of conn.writeBuffer ?? []) bytes += sizeOf(packet.data);
  const buffered = conn.transport?.socket?.bufferedAmount;
  if (typeof buffered === "number") bytes += buffered;
  return bytes;
}
