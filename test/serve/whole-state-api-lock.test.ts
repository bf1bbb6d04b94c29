// `resources: ["*"]` is the whole-state lock (lock_state()): it conflicts with resource locks both ways and with a
// plain client's LOCK both ways, is listed as ["*"], and its holder may write the state whole. A plain client's
// LOCK gets 423 while a subgraph (resource) lock is live, and its lock-less write 409.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { foreignLockInfo, raw, useServeFixture } from './helpers/serve-fixture.js';
import { pushWhole, sampleState, takeLock } from './helpers/subgraph-requests.js';

describe('the whole-state lock through the lock API', () => {
  const fx = useServeFixture();

  it('conflicts with resource locks and plain LOCKs, both ways', async () => {
    const guid = await fx().newState();
    const star = await takeLock(fx(), guid, ['*'], 'velocity@baseline');
    expect(star.status, star.text).toBe(200);
    const starId = star.json?.['id'] as string;
    expect(star.json?.['resources']).toEqual(['*']);
    const refused = await takeLock(fx(), guid, ['terraform_data.a']);
    expect(refused.status).toBe(423);
    expect(refused.json).toMatchObject({ code: 'STATE_LOCKED', ID: starId, Who: 'velocity@baseline' });
    const plain = await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(foreignLockInfo(randomUUID(), 'terraform@ci')));
    expect([plain.status, plain.json?.['ID']]).toEqual([423, starId]);
    expect((await raw(fx(), 'GET', `/tfstate/${guid}/locks`)).json).toMatchObject([{ id: starId, resources: ['*'] }]);
    // The holder of "*" writes whole.
    expect((await pushWhole(fx(), guid, sampleState(), starId)).status).toBe(200);
    expect((await raw(fx(), 'DELETE', `/tfstate/${guid}/locks/${starId}`)).status).toBe(200);

    // A plain client's lock refuses "*"; a resource lock refuses a plain LOCK and a lock-less write.
    const tf = foreignLockInfo(randomUUID(), 'terraform@ci');
    expect((await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(tf))).status).toBe(200);
    const starRefused = await takeLock(fx(), guid, ['*']);
    expect([starRefused.status, starRefused.json?.['ID'], starRefused.json?.['overlapping']]).toEqual([423, tf.ID, ['*']]);
    expect((await raw(fx(), 'UNLOCK', `/tfstate/${guid}/unlock`, JSON.stringify(tf))).status).toBe(200);
    const sub = await takeLock(fx(), guid, ['terraform_data.a'], 'velocity@apply');
    expect(sub.status).toBe(200);
    const plainRefused = await raw(fx(), 'LOCK', `/tfstate/${guid}/lock`, JSON.stringify(foreignLockInfo(randomUUID())));
    expect([plainRefused.status, plainRefused.json?.['ID']]).toEqual([423, sub.json?.['id']]);
    const write = await pushWhole(fx(), guid, { ...sampleState(), serial: 2 });
    expect([write.status, write.json?.['code']]).toEqual([409, 'STATE_LOCKED']);
  });
});
