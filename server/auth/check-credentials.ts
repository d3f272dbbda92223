import { HostError } from "../util/errors.ts";
import type { LoginThrottle } from "./login-throttle.ts";
import {
  hashPassword,
  MAX_PASSWORD_LENGTH,
  needsRehash,
  type ScryptParams,
  verifyPassword,
} from "./password.ts";
import { nameKey, type UserStore, type UserWithHash } from "./user-store.ts";

export const WRONG_LOGIN = "wrong name or password";
/** Throttle keys are cut to this length, so a huge name or address cannot grow memory. */
const MAX_KEY_LENGTH = 200;

/** The throttle key of an account: the same for every spelling of the name. */
export function accountKey(name: string): string {
  return `user:${nameKey(name).slice(0, MAX_KEY_LENGTH)}`;
}

export interface CredentialDeps {
  /** The open user store, fetched again after each await (the database may close meanwhile). */
  users: () => UserStore;
  throttle: LoginThrottle;
  scrypt: ScryptParams;
  clock: () => number;
}

/**
 * Checks a name and password, throttled per IP and per account (HostError THROTTLED with
 * details.retryAfterSeconds). An unknown name, a disabled user and a wrong password all get the same
 * HostError UNAUTHORIZED "wrong name or password" after the same scrypt work, and all count as
 * failures. A success forgets the account's failures (not the IP's) and rehashes a password made
 * with other scrypt parameters. Returns the user as it is after the check.
 */
export async function checkCredentials(
  deps: CredentialDeps,
  name: string,
  password: string,
  ip: string,
): Promise<UserWithHash> {
  const account = accountKey(name);
  const keys = [`ip:${ip.slice(0, MAX_KEY_LENGTH)}`, account];
  deps.throttle.begin(keys, deps.clock());
  let ok = false;
  try {
    if (password.length > 4 * MAX_PASSWORD_LENGTH) throw new HostError("UNAUTHORIZED", WRONG_LOGIN);
    const user = deps.users().byName(name);
    if (user === null) {
      // Same scrypt work as for a known user, so the answer takes as long.
      await hashPassword(password, deps.scrypt);
      throw new HostError("UNAUTHORIZED", WRONG_LOGIN);
    }
    const matches = await verifyPassword(password, user.passwordHash);
    // Read again: the user may have been disabled, deleted or given a new password meanwhile.
    const current = deps.users().get(user.id);
    if (!matches || current === null || current.disabled || current.passwordHash !== user.passwordHash)
      throw new HostError("UNAUTHORIZED", WRONG_LOGIN);
    if (needsRehash(current.passwordHash, deps.scrypt)) {
      const rehashed = await hashPassword(password, deps.scrypt);
      deps.users().setPasswordHash(current.id, rehashed);
    }
    ok = true;
    return current;
  } finally {
    deps.throttle.end(keys, ok, deps.clock(), [account]);
  }
}
