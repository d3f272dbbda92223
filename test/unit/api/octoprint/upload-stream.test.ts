import { readdir } from "node:fs/promises";
import { connect } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OctoHarness, startOctoHarness } from "./octo-harness.ts";

/**
 * The multipart stream at the edges fetch would not produce: a client that hangs up mid-file, a body
 * announced over the store's limit, a form that ends before its closing boundary.
 */

let h: OctoHarness;
let key: string;
const BOUNDARY = "------------------------0123456789abcdef";

beforeAll(async () => {
  h = await startOctoHarness();
  key = await h.keyFor("otto", "operator");
});
afterAll(async () => {
  await h.stop();
});

/** Writes the request by hand; resolves with the status line (or "closed") once the server answers or hangs up. */
function rawUpload(body: string, declaredLength: number, hangUp: boolean): Promise<string> {
  const { port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), "127.0.0.1");
    let answer = "";
    socket.on("data", (chunk) => {
      answer += chunk.toString("utf8");
    });
    socket.on("close", () => resolve(answer.split("\r\n")[0] || "closed"));
    socket.on("error", (err: NodeJS.ErrnoException) =>
      err.code === "ECONNRESET" ? resolve("closed") : reject(err),
    );
    socket.write(
      [
        "POST /api/files/local HTTP/1.1",
        `Host: 127.0.0.1:${port}`,
        `X-Api-Key: ${key}`,
        `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
        `Content-Length: ${declaredLength}`,
        "Connection: close",
        "",
        body,
      ].join("\r\n"),
    );
    if (hangUp) setTimeout(() => socket.destroy(), 200);
  });
}

const filePart = (name: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
  "Content-Type: application/octet-stream\r\n\r\nG28\nG1 X10 Y10\n";

async function leftovers(): Promise<string[]> {
  return readdir(join(h.dataDir, "files", ".layerwatch", "tmp"));
}

describe("upload stream", () => {
  it("stores nothing, and leaves no temp file, when the client hangs up mid-file", async () => {
    expect(await rawUpload(filePart("cut.gcode"), 10_000, true)).toBe("closed");
    await expect.poll(leftovers).toEqual([]);
    expect((await h.files.list()).map((e) => e.path)).not.toContain("cut.gcode");
  });

  it("refuses a body announced over the limit at once (413), before reading it", async () => {
    const status = await rawUpload(filePart("huge.gcode"), 2 * 1024 ** 3, false);
    expect(status).toBe("HTTP/1.1 413 Payload Too Large");
    expect(await leftovers()).toEqual([]);
  });

  it("refuses a form that ends without its closing boundary (400)", async () => {
    const body = filePart("short.gcode");
    expect(await rawUpload(body, Buffer.byteLength(body), false)).toBe("HTTP/1.1 400 Bad Request");
    expect((await h.files.list()).map((e) => e.path)).not.toContain("short.gcode");
  });
});
