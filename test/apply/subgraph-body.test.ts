// subgraphBody: the owned entries and outputs of a sub-state, raw (a big number keeps its digits), the ownership
// widened by what the apply created (a new entry, a new instance key of a keyed entry), the base serial, the sorted
// `read` addresses, check_only; an owned entry the sub-state lacks stays owned (the server removes its rows).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { subgraphBody } from '../../src/apply/subgraph-body.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-subgraph-body-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const inst = (input: string, key?: string): string => `{${key === undefined ? '' : `"index_key":"${key}",`}"schema_version":0,"attributes":{"id":"x","input":${input}}}`;
const SUB = `{"version":4,"terraform_version":"1.11.4","serial":3,"lineage":"sub","outputs":{"a":{"value":"A","type":"string"},"z":{"value":"Z","type":"string"}},"resources":[
{"mode":"managed","type":"terraform_data","name":"a","provider":"p","instances":[${inst('12345678901234567890123')}]},
{"mode":"managed","type":"terraform_data","name":"m","provider":"p","instances":[${inst('1', 'x')},${inst('3', 'new')}]},
{"module":"module.k[\\"q\\"]","mode":"data","type":"terraform_data","name":"n","provider":"p","instances":[${inst('2')}]}
]}`;

describe('subgraphBody', () => {
  it('sends the owned entries raw and owns what the apply created', () => {
    const path = join(dir, 'sub.tfstate');
    writeFileSync(path, SUB);
    const owned = {
      resources: [
        { module: '', mode: 'managed' as const, type: 'terraform_data', name: 'a' },
        { module: '', mode: 'managed' as const, type: 'terraform_data', name: 'gone' },
        { module: '', mode: 'managed' as const, type: 'terraform_data', name: 'm', keys: ['x', 'y'] },
      ],
      outputs: ['a'],
    };
    const body = subgraphBody(path, owned, { lineage: 'real', baseSerial: 7, read: ['terraform_data.z', 'terraform_data.b'], checkOnly: true });
    expect(body.text).toContain('"input":12345678901234567890123');
    const doc = JSON.parse(body.text) as Record<string, unknown>;
    expect(doc).toMatchObject({ lineage: 'real', base_serial: 7, terraform_version: '1.11.4', read: ['terraform_data.b', 'terraform_data.z'], check_only: true, outputs: { a: { value: 'A', type: 'string' } } });
    expect(body.owned).toEqual({
      resources: [
        { module: '', mode: 'managed', type: 'terraform_data', name: 'a' },
        { module: '', mode: 'managed', type: 'terraform_data', name: 'gone' },
        { module: '', mode: 'managed', type: 'terraform_data', name: 'm', keys: ['x', 'y', 'new'] },
        { module: 'module.k["q"]', mode: 'data', type: 'terraform_data', name: 'n' },
      ],
      outputs: ['a'],
    });
    expect(doc['owned']).toEqual(body.owned);
    expect((doc['resources'] as { name: string }[]).map((r) => r.name)).toEqual(['a', 'm', 'n']);
  });
});
