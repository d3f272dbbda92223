import { randomBytes, scrypt } from "node:crypto";
import { HostError } from "../util/errors.ts";
import { sameHash } from "./secrets.ts";

/** scrypt cost parameters; stored with every hash so they can change without breaking old ones. */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. Memory used is 128 × N × r bytes. */
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 = 32 MiB and ~0.1–0.3 s on a Raspberry Pi 4 (OWASP's scrypt minimum is 2^17 with r=8, p=1 at 128 MiB; too much RAM for a Pi Zero). */
export const DEFAULT_SCRYPT: Readonly<ScryptParams> = { N: 2 ** 15, r: 8, p: 1 };

export const MIN_PASSWORD_LENGTH = 8;
/** Bounds the work a single request can cause. */
export const MAX_PASSWORD_LENGTH = 1024;

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** Refuses stored parameters that would take more memory than this (a tampered or foreign hash). */
const MAX_MEMORY = 256 * 1024 * 1024;

/**
 * Throws HostError INVALID_INPUT unless the password has 8 to 1024 characters (counted in code
 * points after NFC normalization).
 */
export function checkPasswordRules(password: string): void {
  const length = [...password.normalize("NFC")].length;
  if (length < MIN_PASSWORD_LENGTH)
    throw new HostError(
      "INVALID_INPUT",
      `the password is too short: use at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  if (length > MAX_PASSWORD_LENGTH)
    throw new HostError(
      "INVALID_INPUT",
      `the password is too long: use at most ${MAX_PASSWORD_LENGTH} characters`,
    );
}

/**
 * Hashes a password with scrypt and a random 16-byte salt. Format: `scrypt$N$r$p$salt$hash`, salt
 * and hash in base64url. The password is NFC-normalized first, so the same text typed on two
 * keyboards matches. Does not check the rules (see `checkPasswordRules`).
 */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64url"), key.toString("base64url")].join(
    "$",
  );
}

/** True when `password` matches `stored`; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (parsed === null) return false;
  const key = await derive(password, parsed.salt, parsed.hash.length, parsed.params);
  return sameHash(key, parsed.hash);
}

/** True when `stored` was made with other parameters than `params`: rehash it at the next login. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(stored);
  return (
    parsed === null ||
    parsed.params.N !== params.N ||
    parsed.params.r !== params.r ||
    parsed.params.p !== params.p
  );
}

interface ParsedHash {
  params: ScryptParams;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return null;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const valid =
    [N, r, p].every((n) => Number.isSafeInteger(n) && n > 0) &&
    (N & (N - 1)) === 0 &&
    N > 1 &&
    memoryOf({ N, r, p }) <= MAX_MEMORY;
  if (!valid) return null;
  const salt = Buffer.from(parts[4] as string, "base64url");
  const hash = Buffer.from(parts[5] as string, "base64url");
  if (salt.length === 0 || hash.length < 16) return null;
  return { params: { N, r, p }, salt, hash };
}

function memoryOf(params: ScryptParams): number {
  return 128 * params.N * params.r * params.p;
}

/** Runs scrypt on libuv's thread pool: the event loop keeps serving while it works. */
function derive(password: string, salt: Buffer, keylen: number, params: ScryptParams): Promise<Buffer> {
  const { N, r, p } = params;
  return new Promise((resolve, reject) => {
    scrypt(password.normalize("NFC"), salt, keylen, { N, r, p, maxmem: 2 * memoryOf(params) }, (err, key) =>
      err === null ? resolve(key) : reject(err),
    );
  });
}
