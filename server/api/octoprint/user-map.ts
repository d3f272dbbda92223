import type { Permission, Role } from "../../auth/roles.ts";
import { permissionsOf } from "../../auth/roles.ts";
import type { RequestIdentity } from "../identify.ts";

/** Our permissions as OctoPrint's permission keys (`access/permissions.py`). */
const OCTO_PERMISSIONS: Readonly<Record<Permission, readonly string[]>> = {
  "state:read": ["STATUS", "SETTINGS_READ", "GCODE_VIEWER"],
  "camera:read": ["WEBCAM", "TIMELAPSE_LIST", "TIMELAPSE_DOWNLOAD"],
  "camera:write": ["TIMELAPSE_ADMIN", "TIMELAPSE_DELETE"],
  "history:read": [],
  "files:read": ["FILES_LIST", "FILES_DOWNLOAD"],
  "print:control": ["PRINT", "FILES_SELECT"],
  "files:write": ["FILES_UPLOAD", "FILES_DELETE", "FILES_SELECT"],
  "commands:send": ["CONTROL", "CONNECTION"],
  terminal: ["MONITOR_TERMINAL", "CONTROL"],
  "settings:write": ["SETTINGS"],
  "users:admin": ["ADMIN", "PLUGIN_APPKEYS_ADMIN"],
};

/** OctoPrint's groups: admins, users (its operators) and readonly. */
const OCTO_GROUPS: Readonly<Record<Role, readonly string[]>> = {
  admin: ["admins", "users"],
  operator: ["users"],
  viewer: ["readonly"],
};

export function octoPermissions(role: Role): string[] {
  return [...new Set(permissionsOf(role).flatMap((p) => OCTO_PERMISSIONS[p]))];
}

export interface OctoUser {
  name: string;
  active: boolean;
  user: boolean;
  admin: boolean;
  apikey: null;
  settings: Record<string, never>;
  groups: string[];
  permissions: string[];
  needs: { role: string[]; group: string[] };
  roles: string[];
}

/** `/api/currentuser` and the core of `/api/login`'s answer. */
export function octoUser(identity: RequestIdentity): OctoUser {
  const permissions = octoPermissions(identity.role);
  const groups = [...OCTO_GROUPS[identity.role]];
  return {
    name: identity.name,
    active: true,
    user: true,
    admin: identity.role === "admin",
    apikey: null,
    settings: {},
    groups,
    permissions,
    needs: { role: permissions.map((p) => p.toLowerCase()), group: groups },
    roles: permissions.map((p) => p.toLowerCase()),
  };
}

/**
 * `/api/login`'s answer: the user plus `session` (an opaque id: Layerwatch has no OctoPrint SockJS
 * socket to authenticate with it, and never hands out the cookie's secret) and how they logged in.
 */
export function octoLogin(identity: RequestIdentity, mechanism: "password" | "apikey" | "session") {
  return {
    ...octoUser(identity),
    session: identity.via === "session" ? String(identity.sessionId) : null,
    _is_external_client: false,
    _login_mechanism: mechanism,
  };
}
