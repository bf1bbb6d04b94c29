// Leases of whole-state locks: a plain client never heartbeats, so its lock lives the lease (--lock-lease) and each
// write by the holder (?ID=) renews it; a lock whose holder stopped writing expires and another client takes it.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { foreignLockInfo, raw, useServeFixture } from './helpers/serve-fixture.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('whole-state lock leases on velocity serve', () => {
  const fx = useServeFixture({ leaseMs: 2000 });

  it('renews on the holder’s writes and expires without them', async () => {
    const guid = await fx().newState('lease');
    const holder = foreignLockInfo(randomUUID(), 'slow-apply@ci');
    expect((await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(holder))).status).toBe(200);
    const lineage = randomUUID();
    // Three writes 900 ms apart: 2.7 s in all, well past one 2 s lease, and the lock is still the holder's.
    for (let serial = 1; serial <= 3; serial++) {
      await sleep(900);
      const w = await raw(fx(), 'POST', `/tfstate/${guid}?ID=${holder.ID}`, JSON.stringify({ version: 4, terraform_version: '1.11.4', serial, lineage, outputs: {}, resources: [] }));
      expect(w.status, w.text).toBe(200);
    }
    const other = foreignLockInfo(randomUUID(), 'other@laptop');
    const refused = await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(other));
    expect([refused.status, refused.json?.['ID']]).toEqual([423, holder.ID]);
    // The holder stops writing: after the lease the other client gets the state.
    await sleep(2300);
    expect((await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(other))).status).toBe(200);
    // The old holder's write is now refused with the new holder.
    const late = await raw(fx(), 'POST', `/tfstate/${guid}?ID=${holder.ID}`, JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 4, lineage, outputs: {}, resources: [] }));
    expect([late.status, late.json?.['code'], late.json?.['ID']]).toEqual([409, 'STATE_LOCKED', other.ID]);
    expect((await fx().store.history(guid)).length).toBe(3);
  });
});
