import { describe, expect, it } from "vitest";
import { can, isRole, PERMISSIONS, permissionsOf, ROLES } from "../../../server/auth/roles.ts";

describe("roles and permissions", () => {
  it("grants each role exactly its permissions", () => {
    expect(permissionsOf("viewer")).toEqual(["state:read", "camera:read", "history:read", "files:read"]);
    expect(permissionsOf("operator")).toEqual([
      "state:read",
      "camera:read",
      "camera:write",
      "history:read",
      "files:read",
      "print:control",
      "files:write",
      "commands:send",
      "terminal",
    ]);
    expect(permissionsOf("admin")).toEqual([...PERMISSIONS]);
  });

  it("gives every role everything the role below it has", () => {
    for (const permission of PERMISSIONS) {
      if (can("viewer", permission)) expect(can("operator", permission)).toBe(true);
      if (can("operator", permission)) expect(can("admin", permission)).toBe(true);
    }
  });

  it("keeps control from viewers and administration from operators", () => {
    expect(can("viewer", "print:control")).toBe(false);
    expect(can("viewer", "terminal")).toBe(false);
    expect(can("operator", "print:control")).toBe(true);
    expect(can("operator", "camera:write")).toBe(true);
    expect(can("viewer", "camera:write")).toBe(false);
    expect(can("operator", "settings:write")).toBe(false);
    expect(can("operator", "users:admin")).toBe(false);
    expect(can("admin", "users:admin")).toBe(true);
  });

  it("recognises role names", () => {
    expect(ROLES.every(isRole)).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});
