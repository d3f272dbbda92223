import { autoDetect } from "@serialport/bindings-cpp";
import type { BindingInterface } from "@serialport/bindings-interface";
import { withDirectIo } from "./direct-io-binding.ts";

/** The operating system's serial ports: serialport's native binding, read and written directly. */
export function systemBinding(): BindingInterface {
  return withDirectIo(autoDetect());
}
