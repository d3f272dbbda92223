import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { run, scratchDir } from "../../bench/processes.ts";
import { AuthStore } from "../../server/auth/auth-store.ts";
import { authDbPath } from "../../server/cli/auth-cli.ts";
import { silentLogger } from "../../server/util/log.ts";

const BIN = resolve(import.meta.dirname, "../../bin/layerwatch.js");

/** Runs `layerwatch …` with `input` on standard input. */
function layerwatch(args: string[], input = ""): ReturnType<typeof run> {
  return run(process.execPath, [BIN, ...args], input);
}

function store(data: string): AuthStore {
  const auth = new AuthStore({ path: authDbPath(data), log: silentLogger() });
  auth.open();
  return auth;
}

describe("layerwatch user and apikey", () => {
  it("adds users with a password from stdin, changes it, lists and removes them", async () => {
    const data = scratchDir("users");
    const added = await layerwatch(
      ["user", "add", "Ada", "--role", "admin", "--data", data],
      "correct horse\n",
    );
    expect(added).toMatchObject({ code: 0, stdout: '{"added":"Ada","role":"admin"}\n' });
    expect(
      (await layerwatch(["user", "add", "ada", "--role", "viewer", "--data", data], "another one\n")).code,
    ).toBe(1);
    const short = await layerwatch(["user", "add", "bob", "--role", "viewer", "--data", data], "short\n");
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/\[INVALID_INPUT\]/);
    const badRole = await layerwatch(
      ["user", "add", "bob", "--role", "root", "--data", data],
      "long enough\n",
    );
    expect(badRole).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--role takes viewer, operator, admin/),
    });
    await layerwatch(["user", "add", "bob", "--role", "operator", "--data", data], "bob's password\n");

    const auth = store(data);
    try {
      expect(auth.needsSetup()).toBe(false);
      await expect(
        auth.login({ name: "ada", password: "correct horse", ip: "127.0.0.1" }),
      ).resolves.toMatchObject({
        session: { role: "admin" },
      });
    } finally {
      auth.close();
    }
    expect((await layerwatch(["user", "passwd", "Ada", "--data", data], "battery staple\n")).code).toBe(0);
    const list = await layerwatch(["user", "list", "--data", data]);
    expect(
      list.stdout
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l).name),
    ).toEqual(["Ada", "bob"]);
    expect(list.stdout).not.toMatch(/scrypt|password/i);
    expect((await layerwatch(["user", "remove", "bob", "--data", data])).stdout).toBe('{"removed":"bob"}\n');
    expect((await layerwatch(["user", "remove", "bob", "--data", data])).code).toBe(1);

    const again = store(data);
    try {
      await expect(
        again.login({ name: "Ada", password: "battery staple", ip: "127.0.0.1" }),
      ).resolves.toBeDefined();
      expect(again.listUsers().map((u) => u.name)).toEqual(["Ada"]);
    } finally {
      again.close();
    }
  }, 60_000);

  it("creates an API key shown once, lists it without the key, and revokes it", async () => {
    const data = scratchDir("apikeys");
    await layerwatch(["user", "add", "ada", "--role", "operator", "--data", data], "correct horse\n");
    const created = await layerwatch(["apikey", "create", "slicer", "--user", "ada", "--data", data]);
    expect(created.code).toBe(0);
    const { key, id } = JSON.parse(created.stdout) as { key: string; id: number };
    expect(key).toMatch(/^lw_[A-Za-z0-9_-]{43}$/);
    const auth = store(data);
    try {
      expect(auth.authenticateApiKey(key)).toMatchObject({ name: "ada", role: "operator", via: "apiKey" });
    } finally {
      auth.close();
    }
    const listed = await layerwatch(["apikey", "list", "--user", "ada", "--data", data]);
    expect(JSON.parse(listed.stdout)).toMatchObject({ id, name: "slicer" });
    expect(listed.stdout).not.toContain(key.slice(3));
    expect((await layerwatch(["apikey", "revoke", String(id), "--data", data])).code).toBe(0);
    const after = store(data);
    try {
      expect(() => after.authenticateApiKey(key)).toThrow(expect.objectContaining({ code: "UNAUTHORIZED" }));
    } finally {
      after.close();
    }
    expect((await layerwatch(["apikey", "create", "x", "--data", data])).code).toBe(2);
  }, 60_000);
});
