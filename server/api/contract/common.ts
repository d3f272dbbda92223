/** Shapes every part of the API shares. */

/** Every error response: `{"error":{"code":"NOT_FOUND","message":"…"}}`. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** One page of a list, newest first (`?limit=&offset=`). */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}
