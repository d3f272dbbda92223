import { randomBytes } from "node:crypto";
import { request } from "node:http";

/**
 * An HTTP client that sends what a given OctoPrint client sends, byte for byte where it matters:
 * its User-Agent and headers, and its multipart layout (libcurl's for PrusaSlicer, Qt's
 * QHttpMultiPart for Cura). node:http rather than fetch, which sets its own headers.
 */
export interface Replayed<T = unknown> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or the text when the answer is not JSON. */
  body: T;
}

export type FormPart =
  | { name: string; value: string }
  | { name: string; filename: string; content: Uint8Array; contentType?: string };

export interface ClientStyle {
  userAgent: string;
  /** Headers every request of this client carries besides User-Agent (e.g. Accept). */
  headers?: Record<string, string>;
}

/** PrusaSlicer / OrcaSlicer: libcurl with `X-Api-Key`, `Accept: *\/*` (curl's default). */
export const PRUSASLICER: ClientStyle = { userAgent: "PrusaSlicer/2.7.1", headers: { accept: "*/*" } };
/** Cura's OctoPrint plugin (Qt network stack). */
export const CURA: ClientStyle = { userAgent: "Cura/5.7.1 OctoPrintPlugin/3.7.3" };
/** Home Assistant's coordinator session (aiohttp). */
export const HOME_ASSISTANT: ClientStyle = {
  userAgent: "HomeAssistant/2025.1.0 aiohttp/3.11.11 Python/3.13",
  headers: { accept: "*/*", "accept-encoding": "gzip, deflate" },
};
/** Home Assistant's config flow uses a bare aiohttp session for the app-key request. */
export const AIOHTTP: ClientStyle = { userAgent: "Python/3.13 aiohttp/3.11.11", headers: { accept: "*/*" } };

export class ReplayClient {
  readonly #base: string;
  readonly #style: ClientStyle;
  apiKey: string | null;

  constructor(base: string, style: ClientStyle, apiKey: string | null = null) {
    this.#base = base;
    this.#style = style;
    this.apiKey = apiKey;
  }

  get<T = unknown>(path: string): Promise<Replayed<T>> {
    return this.send<T>("GET", path, {}, null);
  }

  /** A JSON body, with `Content-Type: application/json` as these clients set it. */
  postJson<T = unknown>(path: string, json: unknown): Promise<Replayed<T>> {
    return this.send<T>(
      "POST",
      path,
      { "content-type": "application/json" },
      Buffer.from(JSON.stringify(json)),
    );
  }

  /** A bodiless POST (aiohttp `session.post(url)`). */
  post<T = unknown>(path: string): Promise<Replayed<T>> {
    return this.send<T>("POST", path, {}, null);
  }

  /**
   * libcurl's `curl_mime` form (PrusaSlicer's `form_add`/`form_add_file`): a 24-dash boundary, file
   * parts typed `application/octet-stream`.
   */
  postCurlForm<T = unknown>(path: string, parts: FormPart[]): Promise<Replayed<T>> {
    const boundary = `------------------------${randomBytes(8).toString("hex")}`;
    const body = encodeForm(boundary, parts, (part) => {
      const lines = [
        `Content-Disposition: form-data; name="${part.name}"${"filename" in part ? `; filename="${part.filename}"` : ""}`,
      ];
      if ("filename" in part) lines.push(`Content-Type: ${part.contentType ?? "application/octet-stream"}`);
      return lines;
    });
    return this.send<T>("POST", path, { "content-type": `multipart/form-data; boundary=${boundary}` }, body);
  }

  /**
   * Qt's QHttpMultiPart (Cura's `_createFormPart`): a quoted `boundary_.oOo._…` boundary, parts with
   * only the Content-Disposition the plugin sets.
   */
  postQtForm<T = unknown>(path: string, parts: FormPart[]): Promise<Replayed<T>> {
    const boundary = `boundary_.oOo._${randomBytes(15).toString("base64").replace(/[+/=]/g, "x")}`;
    const body = encodeForm(boundary, parts, (part) => [
      `content-disposition: form-data; name="${part.name}"${"filename" in part ? `; filename="${part.filename}"` : ""}`,
    ]);
    return this.send<T>(
      "POST",
      path,
      { "content-type": `multipart/form-data; boundary="${boundary}"` },
      body,
    );
  }

  send<T>(
    method: string,
    path: string,
    extra: Record<string, string>,
    body: Buffer | null,
  ): Promise<Replayed<T>> {
    const headers: Record<string, string> = {
      host: new URL(this.#base).host,
      "user-agent": this.#style.userAgent,
      ...this.#style.headers,
      ...extra,
      "content-length": String(body?.length ?? 0),
    };
    if (this.apiKey !== null) headers["x-api-key"] = this.apiKey;
    return new Promise((resolve, reject) => {
      const req = request(new URL(path, this.#base), { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          const isJson = (res.headers["content-type"] ?? "").includes("json");
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: (isJson ? JSON.parse(text) : text) as T,
          });
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body ?? undefined);
    });
  }
}

function encodeForm(boundary: string, parts: FormPart[], headerLines: (part: FormPart) => string[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n${headerLines(part).join("\r\n")}\r\n\r\n`));
    chunks.push("filename" in part ? Buffer.from(part.content) : Buffer.from(part.value));
    chunks.push(Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(chunks);
}
