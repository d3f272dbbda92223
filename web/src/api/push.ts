/** The push socket (socket.io, WebSocket only, same origin: the session cookie authenticates it). */
import { io, type Socket } from "socket.io-client";
import type { PushClientEvents, PushServerEvents } from "../../../server/api/contract.ts";

export type PushSocket = Socket<PushServerEvents, PushClientEvents>;

export function connectPush(): PushSocket {
  return io({ path: "/socket.io", transports: ["websocket"], withCredentials: true });
}
