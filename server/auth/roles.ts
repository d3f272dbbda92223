/**
 * Roles and what each may do, as data. Each role has everything the role before it has:
 * viewer ⊂ operator ⊂ admin. The edge (HTTP routes, socket events) names one permission per action
 * and asks `can(role, permission)`; nothing else decides access.
 */
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  "state:read", // printer state, temperatures, job progress
  "camera:read", // snapshots, stream, time-lapses (list, play, download)
  "camera:write", // time-lapse settings, rendering and deleting time-lapses
  "history:read", // job history and events
  "files:read", // list, analysis, thumbnails, download
  "print:control", // start, pause, resume, cancel, emergency stop, recovery
  "files:write", // upload, delete, select
  "commands:send", // temperatures, jog, home, extrude, fan, motors off, connect/disconnect
  "terminal", // terminal lines and raw G-code
  "settings:write", // daemon and printer settings
  "users:admin", // users, roles and other users' API keys
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const VIEWER: readonly Permission[] = ["state:read", "camera:read", "history:read", "files:read"];
const OPERATOR: readonly Permission[] = [
  ...VIEWER,
  "print:control",
  "files:write",
  "camera:write",
  "commands:send",
  "terminal",
];
const ADMIN: readonly Permission[] = [...OPERATOR, "settings:write", "users:admin"];

const GRANTS: Readonly<Record<Role, ReadonlySet<Permission>>> = {
  viewer: new Set(VIEWER),
  operator: new Set(OPERATOR),
  admin: new Set(ADMIN),
};

export function can(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return PERMISSIONS.filter((p) => GRANTS[role].has(p));
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
