// New entries of the sub-state land at Terraform's sorted position (module, mode, type, name; 'data' before
// 'managed'), between untouched entries, and the result is exactly Terraform's own 2-space layout.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, stateDoc, terraformText, writeStates } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-merge-sorted-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('mergeSubState sorted insertion', () => {
  it('inserts new entries at their sorted position, before, between and after the untouched ones', async () => {
    const untouched = [entry('b', ['b1']), entry('d', ['d1']), entry('k', ['k1'], { module: 'module.m["x"]' })];
    const added = [
      entry('a', ['a1']),
      entry('c', ['c1']),
      entry('c', ['dc1'], { mode: 'data' }),
      entry('e', ['e1'], { module: 'module.m["\\"}{漢"]' }),
      entry('z', ['z1'], { module: 'module.z' }),
    ];
    const real = stateDoc(untouched);
    const sub = stateDoc(added, {}, { serial: 9, lineage: 'sub' });
    const paths = writeStates(dir, real, sub);
    const summary = await mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned: { resources: [], outputs: [] }, serial: 8, out: paths.out });
    expect(summary.resources).toEqual({ replaced: 0, added: 5, removed: 0 });
    const merged = readFileSync(paths.out, 'utf8');
    const expected = stateDoc([...untouched, ...added], {}, { serial: 8 });
    expect(merged).toBe(terraformText(expected));
    expect((JSON.parse(merged) as { resources: { name: string; mode: string }[] }).resources.map((r) => `${r.mode}.${r.name}`)).toEqual([
      'data.c', 'managed.a', 'managed.b', 'managed.c', 'managed.d', 'managed.e', 'managed.k', 'managed.z',
    ]);
  });
});
