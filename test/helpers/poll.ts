// Waiting in a test for something another process does: a check polled until it holds, or a failure that names
// what was awaited.

export interface PollOptions {
  /** Default 10 s. */
  timeoutMs?: number;
  /** Default 20 ms. */
  intervalMs?: number;
}

/**
 * Resolves with the first value `check` returns other than undefined or false; rejects with "timed out waiting
 * for WHAT" after the timeout. `what` may be a function, to describe the state at the time of failure.
 */
export async function pollFor<T>(
  what: string | (() => string),
  check: () => T | undefined | false,
  { timeoutMs = 10_000, intervalMs = 20 }: PollOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
