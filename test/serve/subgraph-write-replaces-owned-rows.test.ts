// A subgraph write replaces exactly the rows of what it owns: the GET afterwards is the merged document, every other
// instance row keeps its id and version (shared, not rewritten), and a later whole write of that same document by a
// plain client changes no row (both writes split and hash rows the same way).
import { describe, expect, it } from 'vitest';
import { useServeFixture } from './helpers/serve-fixture.js';
import { currentDoc, currentRows, dataInstance, pushWhole, sampleState, seededState, takeLock, writeSubgraph } from './helpers/subgraph-requests.js';

describe('subgraph write on velocity serve', () => {
  const fx = useServeFixture();

  it('replaces the owned rows only and shares the rest', async () => {
    const doc = sampleState();
    const guid = await seededState(fx(), doc);
    const before = await currentRows(fx(), guid);
    const lock = await takeLock(fx(), guid, ['terraform_data.a', 'terraform_data.m["x"]', 'output.a']);
    expect(lock.status, lock.text).toBe(200);
    const id = lock.json?.['id'] as string;
    const a = { ...doc.resources[0]!, instances: [dataInstance('ALPHA')] };
    const m = { ...doc.resources[2]!, instances: [dataInstance('MX', 'x')] };
    const w = await writeSubgraph(fx(), guid, id, {
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [{ module: '', mode: 'managed', type: 'terraform_data', name: 'a' }, { mode: 'managed', type: 'terraform_data', name: 'm', keys: ['x'] }], outputs: ['a'] },
      resources: [a, m],
      outputs: { a: { value: 'ALPHA', type: 'string' } },
    });
    expect(w.status, w.text).toBe(200);
    expect(w.json).toEqual({ version: 2, serial: 2, closed: 2, added: 2 });

    const expected = structuredClone(doc);
    expected.serial = 2;
    expected.outputs = { a: { value: 'ALPHA', type: 'string' } };
    expected.resources[0] = a;
    expected.resources[2] = { ...m, instances: [dataInstance('MX', 'x'), dataInstance('my', 'y')] };
    expect(await currentDoc(fx(), guid)).toEqual(expected);

    const after = await currentRows(fx(), guid);
    const changed = [...after].filter(([k, row]) => before.get(k)?.[0] !== row[0]).map(([k]) => k).sort();
    expect(changed).toEqual(['["", "managed", "terraform_data", "a", 0, null, ""]', '["", "managed", "terraform_data", "m", 2, "x", ""]']);
    for (const [k, row] of after) if (!changed.includes(k)) expect(row, k).toEqual(before.get(k));

    // The holder releases; a plain client pushes the same document: nothing to close or add.
    expect((await fx().store.history(guid)).map((v) => v.source)).toEqual(['push', 'subgraph']);
    expect((await (await fetch(`${fx().server.url}/tfstate/${guid}/locks/${id}`, { method: 'DELETE' })).json())).toEqual({ released: true });
    const whole = await pushWhole(fx(), guid, { ...expected, serial: 3 });
    expect(whole.status, whole.text).toBe(200);
    const rows = await fx().store.write(guid, Buffer.from(JSON.stringify({ ...expected, serial: 4 })));
    expect([rows.closed, rows.added]).toEqual([0, 0]);
  });
});
