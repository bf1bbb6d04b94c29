// acquireWithRetry retries only conflicts, keeps trying until its wait budget is spent, and then gives up with
// LOCK_TIMEOUT carrying the last conflict (fast-check over wait budgets and conflict counts).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { acquireWithRetry } from '../../src/lock/acquire-with-retry.js';
import { LockConflictError, LockTimeoutError } from '../../src/lock/lock-errors.js';
import { newLockInfo } from '../../src/lock/lock-info.js';

describe('acquireWithRetry', () => {
  it('succeeds after k conflicts when the budget allows, else times out only once the budget is spent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 6 }), async (waitMs, k) => {
        let calls = 0;
        const holder = newLockInfo();
        const start = Date.now();
        const result = await acquireWithRetry(
          async () => {
            calls++;
            if (calls <= k) throw new LockConflictError(holder, ['terraform_data.a']);
            return 'ok';
          },
          { waitMs, minDelayMs: 1, maxDelayMs: 8 },
        ).catch((e: unknown) => e);
        const elapsed = Date.now() - start;
        if (result === 'ok') expect(calls).toBe(k + 1);
        else if (waitMs === 0) expect(result).toBeInstanceOf(LockConflictError);
        else {
          expect(result).toBeInstanceOf(LockTimeoutError);
          expect((result as LockTimeoutError).lastConflict.holder.ID).toBe(holder.ID);
          // It kept trying until the budget was spent (never gave up early).
          expect(elapsed).toBeGreaterThanOrEqual(waitMs);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('passes any other error through at once', async () => {
    let calls = 0;
    const boom = new Error('db down');
    await expect(
      acquireWithRetry(async () => {
        calls++;
        throw boom;
      }, { waitMs: 1000 }),
    ).rejects.toBe(boom);
    expect(calls).toBe(1);
  });
});
