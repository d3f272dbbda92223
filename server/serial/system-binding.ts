import { isMainThread } from "node:worker_threads";
import { autoDetect } from "@serialport/bindings-cpp";
import type { BindingInterface } from "@serialport/bindings-interface";
import { HostError } from "../util/errors.ts";
import { withDirectIo } from "./direct-io-binding.ts";
import { ttyStreamBinding } from "./tty-stream-binding.ts";

/**
 * The operating system's serial ports: serialport's native binding, read and written directly. In a
 * worker thread (the engine's), the native binding's poller cannot be used (it runs on the main
 * thread's loop): the bytes go through a tty stream on the worker's own loop instead (Unix only).
 */
export function systemBinding(): BindingInterface {
  const native = autoDetect();
  if (isMainThread) return withDirectIo(native);
  if (process.platform === "win32")
    throw new HostError(
      "CONFIG",
      "serial ports cannot be used from a worker thread on Windows: set engine to inline",
    );
  return ttyStreamBinding(() => native.list());
}
