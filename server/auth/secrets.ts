import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random secret of `bytes` bytes, base64url without padding (32 bytes → 43 characters). */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/** SHA-256 of a token, as stored in the database: the plaintext never is. */
export function tokenHash(token: string): Buffer {
  return createHash("sha256").update(token, "utf8").digest();
}

/**
 * Compares two strings in time that does not depend on where they differ: both are hashed to 32
 * bytes first, so a length difference is not revealed either.
 */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(tokenHash(a), tokenHash(b));
}

/** Constant-time comparison of two hashes of equal length; unequal lengths compare false. */
export function sameHash(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Crockford-like alphabet without 0/O, 1/I/L, U: easy to read from a log and type on a phone. */
const CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789";

/**
 * A setup code such as `K7QX-M2RD-9TWA-H4PZ`: 16 characters of a 30-letter alphabet (≈ 78 bits).
 * Compared case-insensitively and without the dashes (`normalizeCode`).
 */
export function randomCode(): string {
  const chars: string[] = [];
  while (chars.length < 16) {
    for (const byte of randomBytes(32)) {
      // 240 = 8 × 30: rejecting bytes ≥ 240 keeps every letter equally likely.
      if (byte < 240 && chars.length < 16) chars.push(CODE_ALPHABET[byte % 30] as string);
    }
  }
  return [0, 4, 8, 12].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, "").toUpperCase();
}
