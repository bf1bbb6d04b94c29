// A subgraph write that would close or insert an instance row, or change an output, outside the writer's live lock
// paths is refused with 409 SUBGRAPH_NOT_HELD naming those addresses, sorted; nothing changes (history and GET).
import { describe, expect, it } from 'vitest';
import { raw, useServeFixture } from './helpers/serve-fixture.js';
import { dataInstance, sampleState, seededState, takeLock, writeSubgraph } from './helpers/subgraph-requests.js';

describe('subgraph write outside the held locks', () => {
  const fx = useServeFixture();

  it('is refused with the unheld addresses and writes nothing', async () => {
    const doc = sampleState();
    const guid = await seededState(fx(), doc);
    const before = (await raw(fx(), 'GET', `/tfstate/${guid}`)).text;
    const lock = await takeLock(fx(), guid, ['terraform_data.m["x"]']);
    const w = await writeSubgraph(fx(), guid, lock.json?.['id'] as string, {
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'm' }, { mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: ['a'] },
      resources: [{ ...doc.resources[2]!, instances: [dataInstance('MX', 'x'), dataInstance('MY', 'y')] }, { ...doc.resources[0]!, instances: [dataInstance('ALPHA')] }],
      outputs: { a: { value: 'ALPHA', type: 'string' } },
    });
    expect([w.status, w.json?.['code']], w.text).toEqual([409, 'SUBGRAPH_NOT_HELD']);
    expect(w.json?.['addresses']).toEqual(['output.a', 'terraform_data.a', 'terraform_data.m["y"]']);
    expect((await raw(fx(), 'GET', `/tfstate/${guid}`)).text).toBe(before);
    expect((await fx().store.history(guid)).length).toBe(1);
    // Only what is held: accepted.
    const ok = await writeSubgraph(fx(), guid, lock.json?.['id'] as string, {
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'm', keys: ['x'] }], outputs: [] },
      resources: [{ ...doc.resources[2]!, instances: [dataInstance('MX', 'x')] }],
    });
    expect([ok.status, ok.json?.['closed'], ok.json?.['added']], ok.text).toEqual([200, 1, 1]);
  });
});
