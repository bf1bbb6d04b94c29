// Retries one acquisition attempt with exponential backoff and full jitter while it fails with LockConflictError,
// until `waitMs` has passed or the signal aborts. Guarantees: never sleeps past the deadline; on give-up it throws
// LockTimeoutError (carrying the last conflict) or LockAbortedError; any other error is passed through at once.

import { LockAbortedError, LockConflictError, LockRequestError, LockTimeoutError } from './lock-errors.js';
import type { LockOptions } from './resource-lock-manager.js';

/** Backoff shape; the defaults suit a database round trip of ~1 ms. */
export interface BackoffOptions {
  /** @default 5 */
  readonly minDelayMs?: number;
  /** @default 500 */
  readonly maxDelayMs?: number;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new LockAbortedError(signal.reason));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new LockAbortedError(signal?.reason));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `attempt` until it succeeds or the wait budget is spent. Cost: at most ~log2(maxDelay/minDelay) + waitMs/maxDelay attempts beyond the first few. */
export async function acquireWithRetry<T>(attempt: () => Promise<T>, options: LockOptions & BackoffOptions = {}): Promise<T> {
  const waitMs = options.waitMs ?? 0;
  if (typeof waitMs !== 'number' || !Number.isFinite(waitMs) || waitMs < 0) {
    throw new LockRequestError('LOCK_BAD_OPTION', `waitMs must be a finite number >= 0, got ${String(waitMs)}`);
  }
  const { signal } = options;
  const minDelay = options.minDelayMs ?? 5;
  const maxDelay = options.maxDelayMs ?? 500;
  const start = Date.now();
  const deadline = start + waitMs;
  for (let n = 0; ; n++) {
    if (signal?.aborted) throw new LockAbortedError(signal.reason);
    try {
      return await attempt();
    } catch (error) {
      if (!(error instanceof LockConflictError)) throw error;
      const remaining = deadline - Date.now();
      if (waitMs === 0) throw error;
      if (remaining <= 0) throw new LockTimeoutError(Date.now() - start, error);
      const cap = Math.min(maxDelay, minDelay * 2 ** Math.min(n, 20));
      await sleep(Math.min(remaining, minDelay + Math.random() * (cap - minDelay)), signal);
    }
  }
}
