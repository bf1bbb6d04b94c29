// A resource lock whose lease ran out no longer lets its holder write: the subgraph write is 409 LOCK_NOT_HELD (or
// STATE_LOCKED with the new holder once another lock took the state), renew is 410 LOCK_LOST once taken over.
import { describe, expect, it } from 'vitest';
import { raw, useServeFixture } from './helpers/serve-fixture.js';
import { dataInstance, sampleState, seededState, takeLock, writeSubgraph, type SubgraphBody } from './helpers/subgraph-requests.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('an expired resource lock', () => {
  const fx = useServeFixture({ resourceLeaseMs: 1000 });

  it('refuses the write', async () => {
    const doc = sampleState();
    const guid = await seededState(fx(), doc);
    const lock = await takeLock(fx(), guid, ['terraform_data.a'], 'velocity@slow');
    const id = lock.json?.['id'] as string;
    const body: SubgraphBody = {
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] },
      resources: [{ ...doc.resources[0]!, instances: [dataInstance('ALPHA')] }],
    };
    await sleep(1300);
    const expired = await writeSubgraph(fx(), guid, id, body);
    expect([expired.status, expired.json?.['code']], expired.text).toEqual([409, 'LOCK_NOT_HELD']);
    const other = await takeLock(fx(), guid, ['*'], 'velocity@next');
    expect(other.status, other.text).toBe(200);
    const taken = await writeSubgraph(fx(), guid, id, body);
    expect([taken.status, taken.json?.['code'], taken.json?.['ID']]).toEqual([409, 'STATE_LOCKED', other.json?.['id']]);
    const renew = await raw(fx(), 'POST', `/tfstate/${guid}/locks/${id}/renew`);
    expect([renew.status, renew.json?.['code']]).toEqual([410, 'LOCK_LOST']);
    expect((await fx().store.history(guid)).length).toBe(1);
  });
});
