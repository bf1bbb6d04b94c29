// The conformance suite every ResourceLockManager runs (like OpenTofu's statemgr TestLocker): two clients `a` and
// `b` of the same backend, and the behaviours DESIGN.md promises. Imported by one *-contract.test.ts per implementation.

import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import fc from 'fast-check';
import { newLockInfo } from '../../../src/lock/lock-info.js';
import { LockConflictError, LockTimeoutError } from '../../../src/lock/lock-errors.js';
import type { LockHandle, ResourceLockManager } from '../../../src/lock/resource-lock-manager.js';
import { lockAddressArb, overlaps } from './address-containment.js';

export interface ContractClients {
  readonly a: ResourceLockManager;
  readonly b: ResourceLockManager;
  cleanup(): Promise<void>;
  /**
   * Moves the clock the managers' leases are measured on forward by `ms`: an injected clock for managers that take
   * one (no real sleep). @default a real sleep (PostgreSQL measures leases with the server's `now()`)
   */
  advance?(ms: number): Promise<void>;
}

export interface ContractSubject {
  readonly name: string;
  /** Two clients of one backend (they may be the same object for in-process managers). */
  make(): Promise<ContractClients>;
  /** False for NoOpLockManager: nothing excludes anything. */
  readonly excludes: boolean;
  /** Set when `make()` gives managers with this (short) lease length. */
  readonly leaseMs?: number;
  /** fast-check runs for the model test. @default 40 */
  readonly propertyRuns?: number;
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (error) {
    return (error as { code?: string }).code ?? 'NO_CODE';
  }
  return 'NO_ERROR';
}

const X = 'terraform_data.x';
const Y = 'module.c["k"].terraform_data.y[0]';
const Z = 'data.terraform_data.z';
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export function lockManagerContract(subject: ContractSubject): void {
  describe(`${subject.name}: ResourceLockManager contract`, () => {
    let clients: ContractClients;
    beforeEach(async () => {
      clients = await subject.make();
    });
    afterEach(async () => {
      await clients.cleanup();
    });

    it('rejects bad requests with typed errors and takes nothing', async () => {
      const { a } = clients;
      expect(await codeOf(a.lockResources([], newLockInfo()))).toBe('LOCK_NO_RESOURCES');
      expect(await codeOf(a.lockResources(['not an address!'], newLockInfo()))).toBe('LOCK_BAD_RESOURCE');
      expect(await codeOf(a.lockResources([X, ''], newLockInfo()))).toBe('LOCK_BAD_RESOURCE');
      expect(await codeOf(a.lockResources([X], newLockInfo({ id: 'nope' })))).toBe('LOCK_ID_INVALID');
      expect(await codeOf(a.lockResources([X], newLockInfo(), { waitMs: -1 }))).toBe('LOCK_BAD_OPTION');
      expect(await codeOf(a.forceUnlock('not-a-uuid'))).toBe('LOCK_ID_INVALID');
      expect(await codeOf(a.forceUnlock(newLockInfo().ID))).toBe('LOCK_NOT_HELD');
      expect(await a.locks()).toEqual([]);
    });

    it('hands out a handle with canonical sorted resources, lists it, and unlocks idempotently', async () => {
      const { a, b } = clients;
      const info = newLockInfo({ operation: 'OperationTypePlan', info: 'contract' });
      const h = await a.lockResources([Y, X, Y, 'module.c["k"].terraform_data.y[0]'], info);
      expect(h.id).toBe(info.ID);
      expect(h.resources).toEqual([Y, X].sort());
      if (subject.excludes) {
        const listed = await b.locks();
        expect(listed.map((l) => l.id)).toEqual([info.ID]);
        expect(listed[0]?.info.Operation).toBe('OperationTypePlan');
      }
      await h.unlock();
      await h.unlock();
      expect(await b.locks()).toEqual([]);
      const again = await b.lockResources([X, Y], newLockInfo());
      await again.unlock();
    });

    it('is all-or-nothing: a conflict names the holder and the overlap, and leaves nothing taken', async () => {
      const { a, b } = clients;
      const infoA = newLockInfo({ operation: 'OperationTypeApply', info: 'holder' });
      const ha = await a.lockResources([X, Y], infoA);
      try {
        if (!subject.excludes) {
          const hb = await b.lockResources([Z, Y], newLockInfo());
          await hb.unlock();
          return;
        }
        const err = await b.lockResources([Z, Y], newLockInfo()).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(LockConflictError);
        const conflict = err as LockConflictError;
        expect(conflict.code).toBe('LOCK_CONFLICT');
        expect(conflict.holder.ID).toBe(infoA.ID);
        expect(conflict.overlapping).toContain(Y);
        if (b.granularity() === 'resource') {
          expect(conflict.overlapping).toEqual([Y]);
          expect(conflict.holder.Who).toBe(infoA.Who);
          expect(conflict.holder.Operation).toBe('OperationTypeApply');
          // Z was not left half-taken by the failed request.
          const hz = await a.lockResources([Z], newLockInfo());
          await hz.unlock();
        } else {
          expect(await codeOf(b.lockResources([Z], newLockInfo()))).toBe('LOCK_CONFLICT');
        }
        expect((await b.locks()).map((l) => l.id)).toEqual([infoA.ID]);
      } finally {
        await ha.unlock();
      }
    });

    it('lets disjoint operations run in parallel exactly when it says so', async () => {
      const { a, b } = clients;
      const ha = await a.lockResources([X], newLockInfo());
      try {
        const attempt = b.lockResources([Z], newLockInfo());
        if (b.supportsParallelOperations()) await (await attempt).unlock();
        else expect(await codeOf(attempt)).toBe('LOCK_CONFLICT');
      } finally {
        await ha.unlock();
      }
    });

    // Exclusion behaviours exist only for subjects that exclude: a NoOpLockManager has no waiting, no forced unlock and
    // no lock model to match (that it grants overlapping locks is asserted above), so they are not registered for it.
    const itExcluding = (name: string, fn: () => Promise<void>): void => {
      if (subject.excludes) it(name, fn);
    };

    itExcluding('waits with backoff until the holder leaves, or times out / aborts with typed errors', async () => {
      const { a, b } = clients;
      const infoA = newLockInfo();
      const ha = await a.lockResources([X], infoA);
      const timeout = await b.lockResources([X], newLockInfo(), { waitMs: 80 }).catch((e: unknown) => e);
      expect(timeout).toBeInstanceOf(LockTimeoutError);
      expect((timeout as LockTimeoutError).code).toBe('LOCK_TIMEOUT');
      expect((timeout as LockTimeoutError).lastConflict.holder.ID).toBe(infoA.ID);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 40);
      expect(await codeOf(b.lockResources([X], newLockInfo(), { waitMs: 10_000, signal: controller.signal }))).toBe('LOCK_ABORTED');
      setTimeout(() => void ha.unlock(), 100);
      const hb = await b.lockResources([X], newLockInfo(), { waitMs: 10_000 });
      expect(hb.resources).toEqual([X]);
      await hb.unlock();
    });

    itExcluding('forceUnlock frees a lock; the old handle then unlocks idempotently without touching the new holder', async () => {
      const { a, b } = clients;
      const ha = await a.lockResources([X], newLockInfo());
      await b.forceUnlock(ha.id.toUpperCase());
      const infoB = newLockInfo();
      const hb = await b.lockResources([X], infoB);
      await ha.unlock();
      const err = await a.lockResources([X], newLockInfo()).catch((e: unknown) => e);
      expect((err as LockConflictError).holder.ID).toBe(infoB.ID);
      await hb.unlock();
    });

    // Lease expiry only exists for subjects given a short lease; the others (no-op, whole-state locks that die with
    // their holder, the 60 s default) do not register this test at all rather than report it skipped.
    const itWithLease = subject.leaseMs !== undefined ? it : () => undefined;
    itWithLease('lets an expired lease be taken over; the old holder sees LOCK_LOST', async () => {
      const { a, b } = clients;
      const advance = clients.advance ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      const ha = await a.lockResources([X, Z], newLockInfo());
      expect(ha.expiresAt).toBeInstanceOf(Date);
      const before = ha.expiresAt?.getTime() ?? 0;
      await advance(20);
      await ha.renew();
      expect(ha.expiresAt?.getTime() ?? 0).toBeGreaterThanOrEqual(before);
      await advance((subject.leaseMs ?? 0) + 100);
      const hb = await b.lockResources([X], newLockInfo());
      expect(await codeOf(ha.renew())).toBe('LOCK_LOST');
      await ha.unlock();
      const listed = await a.locks();
      expect(listed.map((l) => l.id)).toEqual([hb.id]);
      await hb.unlock();
    });

    it('a lock on a resource or module conflicts with a lock on anything inside it, and not with its siblings', async () => {
      const { a, b } = clients;
      const nested: [string, string][] = [
        ['terraform_data.zz', 'terraform_data.zz[0]'],
        ['module.customer["acme"]', 'module.customer["acme"].terraform_data.device'],
        ['module.customer', 'module.customer["acme"].terraform_data.device["d.1"]'],
        ['module.c["a.b"]', 'module.c["a.b"].module.d["x"].t.n'],
        ['module.c.module.d', 'module.c.module.d["k"]'],
      ];
      const apart: [string, string][] = [
        ['terraform_data.zz', 'terraform_data.zzz'],
        ['module.customer["acme"]', 'module.customer["globex"].terraform_data.device'],
        ['module.c.t.a', 'module.c["k"].t.a'],
        ['module.c["a"]', 'module.c["a.b"]'],
        ['module.c["a"].t.b', 'module.c["a\\\\"].t.b'],
        ['t.a', 'data.t.a'],
      ];
      for (const [outer, inner] of [...nested, ...nested.map(([o, i]) => [i, o] as [string, string])]) {
        const h = await a.lockResources([outer], newLockInfo());
        try {
          const err = await b.lockResources([inner], newLockInfo()).catch((e: unknown) => e);
          if (!subject.excludes) {
            await (err as LockHandle).unlock();
            continue;
          }
          expect(err, `${outer} then ${inner}`).toBeInstanceOf(LockConflictError);
          expect((err as LockConflictError).overlapping).toEqual([inner]);
          expect((err as LockConflictError).holder.ID).toBe(h.id);
        } finally {
          await h.unlock();
        }
      }
      for (const [x, y] of apart) {
        const h = await a.lockResources([x], newLockInfo());
        try {
          const attempt = b.lockResources([y], newLockInfo());
          if (b.supportsParallelOperations()) await (await attempt).unlock();
          else expect(await codeOf(attempt)).toBe('LOCK_CONFLICT');
        } finally {
          await h.unlock();
        }
      }
      expect(await a.locks()).toEqual([]);
    });

    it('conflicts exactly when one address contains the other, over random address forms (fast-check)', async () => {
      const { a, b } = clients;
      const set = fc.array(lockAddressArb, { minLength: 1, maxLength: 3 });
      await fc.assert(
        fc.asyncProperty(set, set, async (first, second) => {
          const ha = await a.lockResources(first, newLockInfo());
          try {
            const wanted = [...new Set(second)].sort(byCodeUnit);
            const expected = a.granularity() === 'global' ? wanted : wanted.filter((x) => ha.resources.some((y) => overlaps(x, y)));
            const got = await b.lockResources(second, newLockInfo()).catch((e: unknown) => e);
            if (!subject.excludes || expected.length === 0) {
              expect(got, `${JSON.stringify(first)} then ${JSON.stringify(second)}`).not.toBeInstanceOf(Error);
              expect((got as LockHandle).resources).toEqual(wanted);
              await (got as LockHandle).unlock();
            } else {
              expect(got, `${JSON.stringify(first)} then ${JSON.stringify(second)}`).toBeInstanceOf(LockConflictError);
              expect((got as LockConflictError).overlapping).toEqual(expected);
              expect((got as LockConflictError).holder.ID).toBe(ha.id);
            }
            if (subject.excludes) expect((await b.locks()).map((l) => l.id)).toEqual([ha.id]);
          } finally {
            await ha.unlock();
          }
        }),
        { numRuns: (subject.propertyRuns ?? 40) * 3 },
      );
    });

    itWithLease('an expired lock is taken over by a lock inside it; its holder then sees LOCK_LOST', async () => {
      const { a, b } = clients;
      const advance = clients.advance ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
      const ha = await a.lockResources(['module.m["k"]'], newLockInfo());
      await advance((subject.leaseMs ?? 0) + 100);
      const hb = await b.lockResources(['module.m["k"].t.a[0]'], newLockInfo());
      expect(await codeOf(ha.renew())).toBe('LOCK_LOST');
      await ha.unlock();
      // The expired outer lock is gone for good: a sibling inside it is free, the taken resource is not.
      const sibling = await a.lockResources(['module.m["k"].t.b'], newLockInfo());
      expect(await codeOf(a.lockResources(['module.m'], newLockInfo()))).toBe('LOCK_CONFLICT');
      await sibling.unlock();
      await hb.unlock();
    });

    itExcluding('matches a model under random lock/unlock sequences (fast-check)', async () => {
      const { a, b } = clients;
      const pool = ['terraform_data.r[0]', 'terraform_data.r[1]', 'terraform_data.r[2]', 'terraform_data.r[3]', 'terraform_data.r[4]'];
      const op = fc.oneof(
        fc.record({ kind: fc.constant('lock' as const), client: fc.boolean(), set: fc.subarray(pool, { minLength: 1 }) }),
        fc.record({ kind: fc.constant('unlock' as const), pick: fc.nat() }),
      );
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 12 }), async (ops) => {
          const held: LockHandle[] = [];
          const owner = new Map<string, string>();
          try {
            for (const o of ops) {
              if (o.kind === 'lock') {
                const expectFree = o.set.every((r) => !owner.has(r));
                const global = a.granularity() === 'global';
                const free = global ? held.length === 0 : expectFree;
                try {
                  const h = await (o.client ? a : b).lockResources(o.set, newLockInfo());
                  expect(free).toBe(true);
                  held.push(h);
                  for (const r of h.resources) owner.set(r, h.id);
                } catch (error) {
                  expect(free).toBe(false);
                  expect(error).toBeInstanceOf(LockConflictError);
                  const c = error as LockConflictError;
                  if (!global) expect(c.overlapping).toEqual(o.set.filter((r) => owner.has(r)).sort());
                  expect(held.map((h) => h.id)).toContain(c.holder.ID);
                }
              } else if (held.length > 0) {
                const [h] = held.splice(o.pick % held.length, 1);
                for (const r of h?.resources ?? []) owner.delete(r);
                await h?.unlock();
              }
            }
            const listed = await a.locks();
            expect(listed.map((l) => l.id).sort()).toEqual(held.map((h) => h.id).sort());
          } finally {
            for (const h of held) await h.unlock();
          }
        }),
        { numRuns: subject.propertyRuns ?? 40 },
      );
    });
  });
}
