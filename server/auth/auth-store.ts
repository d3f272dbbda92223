import type { Database } from "better-sqlite3";
import { HostError, isHostError } from "../util/errors.ts";
import { type Logger, namespaced } from "../util/log.ts";
import { openDatabase } from "../util/sqlite/open-database.ts";
import { ApiKeyStore } from "./api-key-store.ts";
import { accountKey, type CredentialDeps, checkCredentials, WRONG_LOGIN } from "./check-credentials.ts";
import { DEFAULT_THROTTLE, LoginThrottle } from "./login-throttle.ts";
import { AUTH_MIGRATIONS } from "./migrations.ts";
import { checkPasswordRules, DEFAULT_SCRYPT, hashPassword, type ScryptParams } from "./password.ts";
import type { Role } from "./roles.ts";
import { randomCode, safeEqual } from "./secrets.ts";
import { DEFAULT_SESSION_RULES, SessionStore } from "./session-store.ts";
import { SetupCodeStore } from "./setup-code-store.ts";
import type {
  ApiKeyIdentity,
  ApiKeyInfo,
  AuthStoreDeps,
  CreatedApiKey,
  LoginRequest,
  LoginResult,
  NewUser,
  SessionIdentity,
  SessionRules,
  User,
} from "./types.ts";
import { UserAdmin } from "./user-admin.ts";
import { cleanName, UserStore, type UserWithHash } from "./user-store.ts";

interface Opened {
  db: Database;
  users: UserStore;
  admin: UserAdmin;
  sessions: SessionStore;
  apiKeys: ApiKeyStore;
  setup: SetupCodeStore;
}

/**
 * Users, sessions, API keys and the first-boot setup code, in their own SQLite file (WAL, every
 * commit synced: few writes, each one matters). Construct, `open()`, use, `close()`. Every method
 * but `open` and `close` throws HostError INVALID_STATE while the database is closed. Secrets
 * (session tokens, API keys, the setup code) are returned once and stored only as SHA-256 hashes.
 */
export class AuthStore {
  readonly #deps: AuthStoreDeps;
  readonly #log: Logger;
  readonly #clock: () => number;
  readonly #scrypt: ScryptParams;
  readonly #rules: SessionRules;
  readonly #throttle: LoginThrottle;
  readonly #credentials: CredentialDeps;
  #opened: Opened | null = null;

  constructor(deps: AuthStoreDeps) {
    this.#deps = deps;
    this.#log = namespaced(deps.log, "auth");
    this.#clock = deps.clock ?? Date.now;
    this.#scrypt = deps.scrypt ?? DEFAULT_SCRYPT;
    this.#rules = { ...DEFAULT_SESSION_RULES, ...deps.sessions };
    this.#throttle = new LoginThrottle({ ...DEFAULT_THROTTLE, ...deps.throttle });
    this.#credentials = {
      users: () => this.#use().users,
      throttle: this.#throttle,
      scrypt: this.#scrypt,
      clock: this.#clock,
    };
  }

  get isOpen(): boolean {
    return this.#opened !== null;
  }

  /** Opens and migrates the database and deletes expired sessions. Throws HostError DATABASE naming the path. */
  open(): void {
    if (this.#opened !== null) throw new HostError("INVALID_STATE", "the auth database is already open");
    const db = openDatabase({
      path: this.#deps.path,
      log: this.#log,
      label: "auth",
      migrations: AUTH_MIGRATIONS,
      synchronous: "FULL",
    });
    const users = new UserStore(db);
    const sessions = new SessionStore(db, this.#rules);
    this.#opened = {
      db,
      users,
      admin: new UserAdmin(db, users, sessions),
      sessions,
      apiKeys: new ApiKeyStore(db, this.#rules.touchEveryMs),
      setup: new SetupCodeStore(db),
    };
    this.pruneSessions();
  }

  /** Closing a closed store does nothing. */
  close(): void {
    const opened = this.#opened;
    if (opened === null) return;
    this.#opened = null;
    opened.db.close();
  }

  /** True until the first user exists. */
  needsSetup(): boolean {
    return this.#use().users.count() === 0;
  }

  /**
   * While no user exists, makes a new one-time setup code (replacing any earlier one) and returns it
   * for the daemon to print; null once a user exists. Only the latest code works.
   */
  setupCode(): string | null {
    const { users, setup } = this.#use();
    if (users.count() > 0) return null;
    const code = randomCode();
    setup.replace(code, this.#clock());
    return code;
  }

  /**
   * Creates the first admin with the code from `setupCode()`. Throws INVALID_STATE once any user
   * exists, UNAUTHORIZED for a missing, wrong or used code, INVALID_INPUT for a bad name or password.
   */
  async createFirstAdmin(code: string, name: string, password: string): Promise<User> {
    const { users, setup } = this.#use();
    if (users.count() > 0) throw new HostError("INVALID_STATE", "setup is done: an admin already exists");
    if (!setup.matches(code)) throw new HostError("UNAUTHORIZED", "wrong setup code");
    const clean = cleanName(name);
    checkPasswordRules(password);
    const hash = await hashPassword(password, this.#scrypt);
    const opened = this.#use();
    const user = opened.db.transaction(() => {
      // Checked again: another request may have finished setup while this one was hashing.
      if (opened.users.count() > 0)
        throw new HostError("INVALID_STATE", "setup is done: an admin already exists");
      if (!opened.setup.matches(code)) throw new HostError("UNAUTHORIZED", "wrong setup code");
      const now = this.#clock();
      opened.setup.markUsed(now);
      return opened.users.insert(clean, "admin", hash, now);
    })();
    this.#log.info({ userId: user.id, name: user.name }, "first admin created");
    return user;
  }

  /** Throws INVALID_INPUT for a bad name or password, CONFLICT for a taken name. */
  async createUser(user: NewUser): Promise<User> {
    const clean = cleanName(user.name);
    checkPasswordRules(user.password);
    const hash = await hashPassword(user.password, this.#scrypt);
    const created = this.#use().users.insert(clean, user.role, hash, this.#clock());
    this.#log.info({ userId: created.id, name: created.name, role: created.role }, "user created");
    return created;
  }

  listUsers(): User[] {
    return this.#use().users.list();
  }

  getUser(userId: number): User | null {
    return withoutHash(this.#use().users.get(userId));
  }

  /** By name, case-insensitively. */
  findUser(name: string): User | null {
    return withoutHash(this.#use().users.byName(name));
  }

  /** Takes effect at once for the user's sessions and API keys. See UserAdmin for the last-admin rule. */
  setRole(userId: number, role: Role): void {
    this.#use().admin.setRole(userId, role);
    this.#log.info({ userId, role }, "user role changed");
  }

  /** Disabling ends the user's sessions; their API keys stop working until re-enabled. */
  setDisabled(userId: number, disabled: boolean): void {
    this.#use().admin.setDisabled(userId, disabled);
    this.#log.info({ userId, disabled }, "user disabled changed");
  }

  /** Deletes the user with their sessions and API keys. */
  deleteUser(userId: number): void {
    this.#use().admin.delete(userId);
    this.#log.info({ userId }, "user deleted");
  }

  /** Sets a new password (rules checked) and ends every session of the user; API keys stay. */
  async setPassword(userId: number, password: string): Promise<void> {
    this.#use().users.require(userId);
    checkPasswordRules(password);
    const hash = await hashPassword(password, this.#scrypt);
    const ended = this.#use().admin.setPasswordHash(userId, hash);
    this.#throttle.reset(accountKey(this.#use().users.require(userId).name));
    this.#log.info({ userId, sessionsEnded: ended }, "password changed");
  }

  /**
   * Checks a name and password (see `checkCredentials`: same answer for every failure, throttled per
   * IP and account) and starts a session.
   */
  async login(request: LoginRequest): Promise<LoginResult> {
    this.#use();
    let user: UserWithHash;
    try {
      user = await checkCredentials(this.#credentials, request.name, request.password, request.ip);
    } catch (err) {
      this.#log.warn({ ip: request.ip, code: isHostError(err) ? err.code : undefined }, "login refused");
      throw err;
    }
    const result = this.#use().sessions.create(
      { userId: user.id, remember: request.remember === true, ip: request.ip, userAgent: request.userAgent },
      user,
      this.#clock(),
    );
    this.#log.info({ userId: user.id, ip: request.ip, remember: result.session.remember }, "login");
    return result;
  }

  /**
   * Checks the password of a logged-in user again, before a sensitive change (their own password,
   * users, API keys). Throttled and answered like `login`.
   */
  async reauthenticate(userId: number, password: string, ip: string): Promise<void> {
    const user = this.#use().users.require(userId);
    const checked = await checkCredentials(this.#credentials, user.name, password, ip);
    if (checked.id !== userId) throw new HostError("UNAUTHORIZED", WRONG_LOGIN);
  }

  /** The live session for a cookie token, its last-seen time updated; throws UNAUTHORIZED otherwise. */
  authenticateSession(token: string): SessionIdentity {
    const session = this.#use().sessions.authenticate(token, this.#clock());
    if (session === null) throw new HostError("UNAUTHORIZED", "not logged in or the session has expired");
    return session;
  }

  /** Whether `token` is the session's CSRF token, compared in constant time. */
  checkCsrf(session: SessionIdentity, token: string | undefined): boolean {
    return token !== undefined && token.length > 0 && safeEqual(session.csrfToken, token);
  }

  /** Ends the session of `token` (nothing happens for an unknown token). */
  logout(token: string): void {
    this.#use().sessions.logout(token);
  }

  /** Ends every session of the user; returns how many. */
  logoutEverywhere(userId: number): number {
    const ended = this.#use().sessions.logoutUser(userId);
    this.#log.info({ userId, sessionsEnded: ended }, "logged out everywhere");
    return ended;
  }

  /** Deletes expired sessions (run at open and then periodically); returns how many. */
  pruneSessions(): number {
    return this.#use().sessions.prune(this.#clock());
  }

  /** Returns the key once; only its hash is kept. Throws NOT_FOUND for an unknown user. */
  createApiKey(userId: number, name: string): CreatedApiKey {
    const opened = this.#use();
    opened.users.require(userId);
    const created = opened.apiKeys.create(userId, name, this.#clock());
    this.#log.info({ userId, apiKeyId: created.info.id, name: created.info.name }, "API key created");
    return created;
  }

  listApiKeys(userId: number): ApiKeyInfo[] {
    return this.#use().apiKeys.forUser(userId);
  }

  getApiKey(apiKeyId: number): ApiKeyInfo | null {
    return this.#use().apiKeys.get(apiKeyId);
  }

  /** Throws NOT_FOUND for an unknown key. The caller checks that the key is the user's or the user is an admin. */
  revokeApiKey(apiKeyId: number): void {
    this.#use().apiKeys.revoke(apiKeyId);
    this.#log.info({ apiKeyId }, "API key revoked");
  }

  /** The key's owner with the owner's current role; throws UNAUTHORIZED for an unknown key or a disabled owner. */
  authenticateApiKey(key: string): ApiKeyIdentity {
    const identity = this.#use().apiKeys.authenticate(key, this.#clock());
    if (identity === null) throw new HostError("UNAUTHORIZED", "invalid API key");
    return identity;
  }

  #use(): Opened {
    if (this.#opened === null) throw new HostError("INVALID_STATE", "the auth database is not open");
    return this.#opened;
  }
}

function withoutHash(user: UserWithHash | null): User | null {
  if (user === null) return null;
  const { passwordHash: _, ...rest } = user;
  return rest;
}
