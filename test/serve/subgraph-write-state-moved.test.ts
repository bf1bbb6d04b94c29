// A subgraph write whose base is stale where it matters is refused with 409 STATE_MOVED naming the changed
// addresses: a row under a held lock path, a row the plan read, or an owned output changed after the base serial;
// changes elsewhere do not refuse it, and a base serial no version has is STATE_MOVED too. Nothing is written.
import { describe, expect, it } from 'vitest';
import { raw, useServeFixture } from './helpers/serve-fixture.js';
import { dataInstance, sampleState, seededState, takeLock, writeSubgraph, type SubgraphBody } from './helpers/subgraph-requests.js';

describe('subgraph write on a moved state', () => {
  const fx = useServeFixture();

  it('is refused when a held, read or owned thing changed after the base', async () => {
    const doc = sampleState();
    const guid = await seededState(fx(), doc);
    const a = await takeLock(fx(), guid, ['terraform_data.a']);
    const b = await takeLock(fx(), guid, ['terraform_data.b', 'output.a']);
    const aId = a.json?.['id'] as string;
    const bId = b.json?.['id'] as string;
    // Writer A changes terraform_data.a (serial 1 -> 2).
    const changeA = (base: number, value: string): SubgraphBody => ({
      lineage: doc.lineage,
      base_serial: base,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'a' }], outputs: [] },
      resources: [{ ...doc.resources[0]!, instances: [dataInstance(value)] }],
    });
    expect((await writeSubgraph(fx(), guid, aId, changeA(1, 'A1'))).status).toBe(200);
    // Writer B planned at serial 1 reading terraform_data.a: moved.
    const bBody = (read: string[]): SubgraphBody => ({
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'b' }], outputs: ['a'] },
      resources: [{ ...doc.resources[1]!, instances: [dataInstance('B1', undefined, ['terraform_data.a'])] }],
      outputs: { a: { value: 'A1', type: 'string' } },
      read,
    });
    const moved = await writeSubgraph(fx(), guid, bId, bBody(['terraform_data.a']));
    expect([moved.status, moved.json?.['code'], moved.json?.['addresses'], moved.json?.['base_serial'], moved.json?.['serial']], moved.text).toEqual([409, 'STATE_MOVED', ['terraform_data.a'], 1, 2]);
    const before = (await raw(fx(), 'GET', `/tfstate/${guid}`)).text;
    // Without reading it: accepted (a changed outside what B holds and read).
    const ok = await writeSubgraph(fx(), guid, bId, bBody([]));
    expect([ok.status, ok.json?.['serial']], ok.text).toEqual([200, 3]);
    expect((await raw(fx(), 'GET', `/tfstate/${guid}`)).text).not.toBe(before);
    // A again from its old base 1: its own row changed since (by itself at serial 2), held: moved.
    const stale = await writeSubgraph(fx(), guid, aId, changeA(1, 'A2'));
    expect([stale.status, stale.json?.['addresses']]).toEqual([409, ['terraform_data.a']]);
    // From base 2 A is fine... but B changed output a at serial 3; A does not own it: still fine.
    expect((await writeSubgraph(fx(), guid, aId, changeA(3, 'A2'))).status).toBe(200);
    // B from base 2: the owned output a changed at 3 (by B itself) -> moved, as is its held b.
    const bStale = await writeSubgraph(fx(), guid, bId, { ...bBody([]), base_serial: 2 });
    expect([bStale.status, bStale.json?.['addresses']]).toEqual([409, ['output.a', 'terraform_data.b']]);
    // A serial no version has.
    const none = await writeSubgraph(fx(), guid, aId, changeA(99, 'A3'));
    expect([none.status, none.json?.['code'], none.json?.['addresses']]).toEqual([409, 'STATE_MOVED', []]);
    expect((await fx().store.history(guid)).map((v) => v.serial)).toEqual([1, 2, 3, 4]);
  });
});
