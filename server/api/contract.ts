/**
 * The own API's request and response shapes (/api/v1 and the push socket): the one source of types
 * for the dashboard's client (web/), which imports this file only. Plain data only; no imports of
 * server internals beyond types. A DTO that is an internal type as it stands is an alias of it; one
 * that differs says how. The shapes live in contract/, a file per part of the API.
 */
export type * from "./contract/api-keys.ts";
export type * from "./contract/appkeys.ts";
export type * from "./contract/camera.ts";
export type * from "./contract/commands.ts";
export type * from "./contract/common.ts";
export type * from "./contract/connection.ts";
export type * from "./contract/files.ts";
export type * from "./contract/history.ts";
export type * from "./contract/jobs.ts";
export type * from "./contract/printer.ts";
export type * from "./contract/push.ts";
export type * from "./contract/session.ts";
export type * from "./contract/settings.ts";
export type * from "./contract/users.ts";
