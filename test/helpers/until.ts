/**
 * Calls `probe` every 50 ms until `test` holds for its value, and returns that value; after
 * `timeout` ms, fails naming `what` and the last value. Usable in hooks, unlike expect.poll.
 */
export async function until<T>(
  probe: () => Promise<T>,
  test: (value: T) => boolean,
  what: string,
  timeout = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (test(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeout} ms: ${what}; last: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
