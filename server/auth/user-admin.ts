import type { Database } from "better-sqlite3";
import { HostError } from "../util/errors.ts";
import type { Role } from "./roles.ts";
import type { SessionStore } from "./session-store.ts";
import type { UserStore } from "./user-store.ts";

/**
 * Changes to existing users that must keep the system administrable and end sessions when access
 * is withdrawn. Each change is one transaction. The last enabled admin can be neither demoted,
 * disabled nor deleted (HostError INVALID_STATE); an unknown user is HostError NOT_FOUND.
 */
export class UserAdmin {
  readonly #db: Database;
  readonly #users: UserStore;
  readonly #sessions: SessionStore;

  constructor(db: Database, users: UserStore, sessions: SessionStore) {
    this.#db = db;
    this.#users = users;
    this.#sessions = sessions;
  }

  setRole(userId: number, role: Role): void {
    this.#db.transaction(() => {
      if (role !== "admin") this.#keepAnAdmin(userId, "demote");
      this.#users.require(userId);
      this.#users.setRole(userId, role);
    })();
  }

  setDisabled(userId: number, disabled: boolean): void {
    this.#db.transaction(() => {
      if (disabled) this.#keepAnAdmin(userId, "disable");
      this.#users.require(userId);
      this.#users.setDisabled(userId, disabled);
      if (disabled) this.#sessions.logoutUser(userId);
    })();
  }

  /** Sessions and API keys go with the user (ON DELETE CASCADE). */
  delete(userId: number): void {
    this.#db.transaction(() => {
      this.#keepAnAdmin(userId, "delete");
      this.#users.require(userId);
      this.#users.delete(userId);
    })();
  }

  /** Returns how many sessions it ended. */
  setPasswordHash(userId: number, hash: string): number {
    return this.#db.transaction(() => {
      this.#users.require(userId);
      this.#users.setPasswordHash(userId, hash);
      return this.#sessions.logoutUser(userId);
    })();
  }

  #keepAnAdmin(userId: number, action: string): void {
    const user = this.#users.require(userId);
    if (user.role === "admin" && !user.disabled && this.#users.countAdmins() <= 1)
      throw new HostError("INVALID_STATE", `cannot ${action} ${user.name}: they are the only admin`, {
        userId,
      });
  }
}
