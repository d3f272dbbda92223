import { request as httpRequest } from "node:http";
import type { FileDto, PrinterStateName, PrinterStateResponse } from "../../../server/api/contract.ts";
import type { ApiClient, ApiResponse } from "../../helpers/api-client.ts";
import { until } from "../../helpers/until.ts";

/** A multipart upload through the client (its cookie, CSRF token and Origin), fields in order, file last. */
export function upload(
  client: ApiClient,
  name: string,
  content: string | Uint8Array,
  fields: Record<string, string> = {},
): Promise<ApiResponse<FileDto>> {
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) form.append(key, value);
  form.append("file", new Blob([content]), name);
  return client.request<FileDto>("POST", "/api/v1/files", { body: form });
}

/** Polls the printer until `test` holds for its state document. */
export function waitForPrinter(
  client: ApiClient,
  test: (state: PrinterStateResponse) => boolean,
  what: string,
  timeout = 30_000,
): Promise<PrinterStateResponse> {
  return until(
    async () => (await client.get<PrinterStateResponse>("/api/v1/printer")).body,
    test,
    what,
    timeout,
  );
}

export function waitForState(
  client: ApiClient,
  state: PrinterStateName,
  timeout?: number,
): Promise<PrinterStateResponse> {
  return waitForPrinter(client, (s) => s.state === state, `the printer becomes ${state}`, timeout);
}

/** Waits until the file's analysis is no longer pending. */
export function waitForAnalysis(client: ApiClient, path: string): Promise<FileDto> {
  const url = `/api/v1/files/${path.split("/").map(encodeURIComponent).join("/")}`;
  return until(
    async () => (await client.get<FileDto>(url)).body,
    (f) => f.analysis?.status !== "pending",
    `${path} analysed`,
  );
}

export interface RawAnswer {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A request over node:http, for what fetch would not send: a body announced with its Content-Length
 * and written in chunks. The server may answer and close while the body is still going out; that
 * answer is what counts.
 */
export function rawRequest(
  url: string,
  options: { method: string; path: string; headers: Record<string, string>; chunks: (string | Uint8Array)[] },
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(new URL(options.path, url), { method: options.method, headers: options.headers });
    req.on("response", (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on("error", reject);
    });
    // EPIPE/ECONNRESET while writing: the response may still be on its way.
    req.on("error", (err) => setTimeout(() => reject(err), 1000));
    for (const chunk of options.chunks) req.write(chunk);
    req.end();
  });
}

/** A multipart body by hand: `[header, content, trailer]` with the boundary, for rawRequest. */
export function multipartParts(
  name: string,
  boundary = "----layerwatch-test",
): { head: string; tail: string; type: string } {
  return {
    head: `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    tail: `\r\n--${boundary}--\r\n`,
    type: `multipart/form-data; boundary=${boundary}`,
  };
}
