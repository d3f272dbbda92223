/**
 * A small HTTP client for API tests: a cookie jar for one browser-like user, the CSRF token it was
 * given, and the Origin a browser would send. Uses fetch (undici), so requests are real HTTP.
 */
export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON when the response is JSON, else the text. */
  body: T;
}

export interface RequestOptions {
  json?: unknown;
  /** A raw body (multipart etc.); set the content type in `headers`. */
  body?: string | Uint8Array | FormData | Blob;
  headers?: Record<string, string>;
  /** Sent as X-Api-Key (no cookies then). */
  apiKey?: string;
  /** Override the Origin header; null sends none. Defaults to the server's own origin for cookie sessions. */
  origin?: string | null;
  /** Leave out the CSRF token even when the client has one. */
  noCsrf?: boolean;
}

export class ApiClient {
  readonly baseUrl: string;
  readonly #cookies = new Map<string, string>();
  csrfToken: string | null = null;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  get cookieHeader(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async request<T = unknown>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body = options.body;
    if (options.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(options.json);
    }
    if (options.apiKey !== undefined) headers["x-api-key"] = options.apiKey;
    else {
      const cookie = this.cookieHeader;
      if (cookie !== undefined) headers.cookie = cookie;
      if (this.csrfToken !== null && !options.noCsrf) headers["x-csrf-token"] = this.csrfToken;
    }
    const origin =
      options.origin === undefined ? (options.apiKey === undefined ? this.baseUrl : null) : options.origin;
    if (origin !== null) headers.origin = origin;
    const res = await fetch(new URL(path, this.baseUrl), { method, headers, body, redirect: "manual" });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (pair === undefined || eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/max-age=0/i.test(line) || value === "") this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
    const type = res.headers.get("content-type") ?? "";
    const parsed = type.includes("json") ? await res.json() : await res.text();
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = unknown>(path: string, options?: RequestOptions): Promise<ApiResponse<T>> {
    return this.request<T>("GET", path, options);
  }

  post<T = unknown>(path: string, json?: unknown, options: RequestOptions = {}): Promise<ApiResponse<T>> {
    return this.request<T>("POST", path, { ...options, ...(json !== undefined ? { json } : {}) });
  }

  /** Creates the first admin with the one-time setup code; keeps the cookie and the CSRF token. Throws unless 201. */
  async setup(code: string | null, name: string, password: string): Promise<void> {
    const res = await this.post<{ csrfToken: string }>("/api/v1/setup", { code, name, password });
    if (res.status !== 201) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrfToken = res.body.csrfToken;
  }

  /** Logs in; keeps the cookie and the CSRF token. Throws unless 200. */
  async login(name: string, password: string, remember = false): Promise<void> {
    const res = await this.post<{ csrfToken: string }>("/api/v1/auth/login", { name, password, remember });
    if (res.status !== 200)
      throw new Error(`login as ${name} failed: ${res.status} ${JSON.stringify(res.body)}`);
    this.csrfToken = res.body.csrfToken;
  }
}
