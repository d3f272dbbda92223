import { describe, expect, it } from "vitest";
import {
  checkPasswordRules,
  DEFAULT_SCRYPT,
  hashPassword,
  needsRehash,
  verifyPassword,
} from "../../../server/auth/password.ts";
import { FAST_SCRYPT, failure } from "./auth-fixture.ts";

describe("password hashing", () => {
  it("stores scrypt parameters, salt and hash as scrypt$N$r$p$salt$hash", async () => {
    const stored = await hashPassword("hunter2hunter2");
    const [scheme, N, r, p, salt, hash, ...rest] = stored.split("$");
    expect([scheme, Number(N), Number(r), Number(p)]).toEqual([
      "scrypt",
      DEFAULT_SCRYPT.N,
      DEFAULT_SCRYPT.r,
      DEFAULT_SCRYPT.p,
    ]);
    expect(Buffer.from(salt as string, "base64url")).toHaveLength(16);
    expect(Buffer.from(hash as string, "base64url")).toHaveLength(32);
    expect(rest).toEqual([]);
    expect(await verifyPassword("hunter2hunter2", stored)).toBe(true);
  });

  it("uses a new salt each time", async () => {
    const a = await hashPassword("same password", FAST_SCRYPT);
    const b = await hashPassword("same password", FAST_SCRYPT);
    expect(a).not.toBe(b);
    expect(await verifyPassword("same password", a)).toBe(true);
    expect(await verifyPassword("same password", b)).toBe(true);
  });

  it("refuses a wrong password and a malformed hash", async () => {
    const stored = await hashPassword("right password", FAST_SCRYPT);
    expect(await verifyPassword("wrong password", stored)).toBe(false);
    expect(await verifyPassword("right password", stored.replace("scrypt$", "bcrypt$"))).toBe(false);
    expect(await verifyPassword("right password", "scrypt$1000$8$1$abc$def")).toBe(false);
    expect(
      await verifyPassword("right password", "scrypt$1073741824$8$1$abcd$abcdabcdabcdabcdabcdabcd"),
    ).toBe(false);
    expect(await verifyPassword("right password", "")).toBe(false);
  });

  it("verifies with the parameters stored in the hash, and flags old ones for rehashing", async () => {
    const stored = await hashPassword("an old password", { N: 2048, r: 4, p: 1 });
    expect(await verifyPassword("an old password", stored)).toBe(true);
    expect(needsRehash(stored, FAST_SCRYPT)).toBe(true);
    expect(needsRehash(await hashPassword("x".repeat(8), FAST_SCRYPT), FAST_SCRYPT)).toBe(false);
  });

  it("matches the same text in composed and decomposed Unicode", async () => {
    const stored = await hashPassword("mot de passe é".normalize("NFC"), FAST_SCRYPT);
    expect(await verifyPassword("mot de passe é".normalize("NFD"), stored)).toBe(true);
  });

  it("requires at least 8 characters, with a clear message", async () => {
    const err = await failure(() => checkPasswordRules("short12"));
    expect(err.code).toBe("INVALID_INPUT");
    expect(err.message).toBe("the password is too short: use at least 8 characters");
    expect(() => checkPasswordRules("12345678")).not.toThrow();
    expect((await failure(() => checkPasswordRules("x".repeat(1025)))).code).toBe("INVALID_INPUT");
  });
});
