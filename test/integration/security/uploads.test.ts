import { readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiResponse } from "../../helpers/api-client.ts";
import { startTestDaemon, type TestDaemon } from "../../helpers/test-daemon.ts";

// Hostile uploads through both upload routes (our own and OctoPrint's, which slicers use): refused
// with a 4xx and nothing written, neither in the files folder (temp files included) nor anywhere else.
const MAX_UPLOAD_BYTES = 64 * 1024;
const ROUTES = ["/api/v1/files", "/api/files/local"] as const;
const GCODE = "G28\nG1 X10 Y10 F3000\nM84\n";

let t: TestDaemon;
beforeAll(async () => {
  t = await startTestDaemon({ config: { jobs: { maxUploadMiB: MAX_UPLOAD_BYTES / (1024 * 1024) } } });
});
afterAll(async () => {
  await t?.stop();
});

/** Every file and folder under `dir`, relative to it, hidden ones (the store's temp folder) included. */
function tree(dir: string): string[] {
  const out: string[] = [];
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      out.push(relative(dir, full) + (entry.isDirectory() ? "/" : ""));
      if (entry.isDirectory()) walk(full);
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * What an upload could touch: the files folder (recursively, temp folder included), the data directory
 * (but its databases, which change on their own) and, for names that climb out of it, the folder above
 * (shared with other tests' scratch directories, so only names this test's uploads use count).
 */
function footprint(): { files: string[]; data: string[]; above: string[] } {
  return {
    files: tree(join(t.dataDir, "files")),
    data: readdirSync(t.dataDir)
      .filter((n) => !/\.(db|db-wal|db-shm|db-journal)$/.test(n))
      .sort(),
    above: readdirSync(dirname(t.dataDir)).filter((n) => /evil|too-big/.test(n)),
  };
}

/** A multipart body built by hand, so the file name reaches the server exactly as written. */
function multipart(
  fields: Record<string, string>,
  filename: string,
  content: string,
): { body: string; type: string } {
  const boundary = "----layerwatch-security-test";
  const parts = Object.entries(fields).map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: application/octet-stream\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  return { body: parts.join(""), type: `multipart/form-data; boundary=${boundary}` };
}

function upload(
  route: string,
  filename: string,
  content = GCODE,
  fields: Record<string, string> = {},
): Promise<ApiResponse> {
  const { body, type } = multipart(fields, filename, content);
  return t.admin.request("POST", route, { body, headers: { "content-type": type } });
}

describe.each(ROUTES)("uploads through %s", (route) => {
  it("stores a plain G-code file (the control case)", async () => {
    const name = `ok-${route.replaceAll("/", "-")}.gcode`;
    const res = await upload(route, name);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    // Its analysis writes a sidecar in the background: let it finish before others take a footprint.
    await t.parts.files.waitForAnalysis(name);
    expect(tree(join(t.dataDir, "files"))).toContain(name);
  });

  it("refuses path traversal in the file name or the folder field, writing nothing", async () => {
    const hostile: [string, Record<string, string>][] = [
      ["../evil.gcode", {}],
      ["../../evil.gcode", {}],
      ["sub/../../evil.gcode", {}],
      ["..\\..\\evil.gcode", {}],
      ["..%2F..%2Fevil.gcode", {}],
      [".hidden-evil.gcode", {}],
      ["evil.gcode", { path: "../.." }],
      ["evil.gcode", { path: "sub/../.." }],
      ["evil.gcode", { path: ".layerwatch/tmp" }],
    ];
    const before = footprint();
    for (const [filename, fields] of hostile) {
      const res = await upload(route, filename, GCODE, fields);
      const what = `${filename} ${JSON.stringify(fields)}`;
      expect(res.status, `${what}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body, what).toMatchObject({ error: { code: "BAD_NAME" } });
    }
    expect(footprint()).toEqual(before);
  });

  it("refuses an upload over the size limit with 413, declared or streamed, writing nothing", async () => {
    const big = `; padding\n${"G1 X1 Y1\n".repeat((2 * MAX_UPLOAD_BYTES) / 9)}`;
    const before = footprint();
    const declared = await upload(route, "too-big.gcode", big);
    expect(declared).toMatchObject({ status: 413, body: { error: { code: "TOO_LARGE" } } });

    // Without Content-Length the store finds out while streaming: the temp file must go too.
    const { body, type } = multipart({}, "too-big-streamed.gcode", big);
    const chunks = new TextEncoder().encode(body);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < chunks.length; i += 16 * 1024) controller.enqueue(chunks.slice(i, i + 16 * 1024));
        controller.close();
      },
    });
    const streamed = await fetch(new URL(route, t.url), {
      method: "POST",
      body: stream,
      duplex: "half",
      headers: {
        "content-type": type,
        cookie: t.admin.cookieHeader ?? "",
        "x-csrf-token": t.admin.csrfToken ?? "",
        origin: t.url,
      },
    } as RequestInit);
    expect(streamed.status).toBe(413);
    expect(((await streamed.json()) as { error: { code: string } }).error.code).toBe("TOO_LARGE");
    expect(footprint()).toEqual(before);
  });
});
