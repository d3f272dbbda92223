/**
 * `Content-Disposition: attachment` for a file name (RFC 6266): a plain `filename` for old clients,
 * with anything outside printable ASCII, quotes and backslashes replaced by `_`, and `filename*`
 * (RFC 5987: `UTF-8''` + percent-encoding) with the exact name for everyone else.
 */
export function attachment(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  return `attachment; filename="${fallback}"; filename*=UTF-8''${rfc5987(name)}`;
}

/** RFC 5987 `value-chars`: attr-char stays, everything else is UTF-8 percent-encoded. */
export function rfc5987(value: string): string {
  // encodeURIComponent leaves ! ' ( ) * unencoded; ' ( ) * are not attr-chars.
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
