// Owned root outputs are replaced like rows: one the sub-state lacks is removed, a new one is added, an unchanged one
// keeps its row; outputs not owned are left alone. Each change needs a lock on `output.NAME`.
import { describe, expect, it } from 'vitest';
import { sql } from '../lock/helpers/pg-test-schema.js';
import { useServeFixture } from './helpers/serve-fixture.js';
import { currentDoc, sampleState, seededState, takeLock, writeSubgraph } from './helpers/subgraph-requests.js';

describe('owned outputs under a subgraph write', () => {
  const fx = useServeFixture();

  it('are removed, added or kept', async () => {
    const doc = sampleState();
    doc.outputs = { a: { value: 'alpha', type: 'string' }, keep: { value: [1, 2], type: ['tuple', ['number', 'number']] }, other: { value: 'x', type: 'string' } };
    const guid = await seededState(fx(), doc);
    const outputRows = async () => (await sql<{ id: string; name: string }>(fx().pgUrl, `SELECT id, name FROM ${fx().schema}.state_outputs WHERE state_guid = $1 AND to_version IS NULL ORDER BY name`, [guid])).map((r) => `${r.name}:${r.id}`);
    const before = await outputRows();
    const id = (await takeLock(fx(), guid, ['output.a', 'output.b', 'output.keep'])).json?.['id'] as string;
    const w = await writeSubgraph(fx(), guid, id, {
      lineage: doc.lineage,
      base_serial: 1,
      owned: { resources: [], outputs: ['a', 'b', 'keep'] },
      resources: [],
      outputs: { b: { value: 'new', type: 'string', sensitive: true }, keep: { value: [1, 2], type: ['tuple', ['number', 'number']] } },
    });
    expect([w.status, w.json?.['closed'], w.json?.['added']], w.text).toEqual([200, 0, 0]);
    expect((await currentDoc(fx(), guid)).outputs).toEqual({ b: { value: 'new', type: 'string', sensitive: true }, keep: doc.outputs['keep'], other: doc.outputs['other'] });
    const after = await outputRows();
    expect(after.filter((r) => r.startsWith('keep:') || r.startsWith('other:'))).toEqual(before.filter((r) => r.startsWith('keep:') || r.startsWith('other:')));
  });
});
