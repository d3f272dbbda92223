import type { Migration } from "../util/sqlite/migrate.ts";

/** Steps of the auth schema (`<dataDir>/auth.db`); see `Migration` for the rules every step follows. */
export const AUTH_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "users, sessions, API keys and the setup code",
    // Times are integer ms since the epoch. Tokens, keys and codes are stored as SHA-256 hashes,
    // never in plaintext. `name_key` is the name after NFC and lower-casing: the uniqueness rule.
    up: `
      CREATE TABLE users (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        name_key TEXT NOT NULL UNIQUE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'operator', 'viewer')),
        password_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))
      ) STRICT;

      CREATE TABLE sessions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        token_hash BLOB NOT NULL UNIQUE,
        csrf_token TEXT NOT NULL,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        remember INTEGER NOT NULL CHECK (remember IN (0, 1)),
        created_at INTEGER NOT NULL,
        last_seen_at INTEGER NOT NULL,
        ip TEXT,
        user_agent TEXT
      ) STRICT;
      CREATE INDEX sessions_user_id ON sessions (user_id);

      CREATE TABLE api_keys (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        key_hash BLOB NOT NULL UNIQUE,
        hint TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        last_used_at INTEGER
      ) STRICT;
      CREATE INDEX api_keys_user_id ON api_keys (user_id);

      CREATE TABLE setup_code (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        code_hash BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;
    `,
  },
];
