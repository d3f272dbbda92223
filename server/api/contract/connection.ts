import type { SerialPortInfo } from "../../serial/port-list.ts";
import type { PrinterStateName, ProfileRef } from "./printer.ts";

/** Serial ports, firmware profiles, connecting and disconnecting (/api/v1/connection). */

export type SerialPortDto = SerialPortInfo;

export interface PortsResponse {
  ports: SerialPortDto[];
  /** What `port` means in settings when none is set: `virtual` is the built-in simulated printer. */
  virtual: "virtual";
}

export interface ConnectionResponse {
  state: PrinterStateName;
  stateReason: string;
  port: string | null;
  baudRate: number | null;
  profile: ProfileRef | null;
  firmware: { name: string; fields: Record<string, string> } | null;
}

/** Each field defaults to the settings' `serial` value. */
export interface ConnectRequest {
  port?: string;
  /** null: detect. */
  baudRate?: number | null;
  /** A profile id; null: detect from M115. */
  profile?: string | null;
}

export interface ConnectAccepted {
  port: string;
  baudRate: number | null;
  profile: string | null;
}

export interface ProfileDto extends ProfileRef {
  /** A FIRMWARE_NAME of this family, as M115 reports it. */
  firmware: string;
}

export interface ProfilesResponse {
  profiles: ProfileDto[];
}
