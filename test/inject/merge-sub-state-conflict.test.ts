// An entry or output the sub-state holds that the real state has but the sub-workspace does not own is a
// MERGE_CONFLICT, and the output file is not left behind.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, keyOf, stateDoc, writeStates } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-merge-conflict-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('mergeSubState conflicts', () => {
  it('refuses a sub-state entry the real state has that is not owned', async () => {
    const paths = writeStates(dir, stateDoc([entry('a', ['a1']), entry('b', ['b1'])]), stateDoc([entry('a', ['a2']), entry('b', ['b2'])]));
    await expect(mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned: { resources: [keyOf(entry('a', []))], outputs: [] }, serial: 8, out: paths.out })).rejects.toMatchObject({
      code: 'MERGE_CONFLICT',
      entry: { module: '', mode: 'managed', type: 'terraform_data', name: 'b' },
    });
    expect(existsSync(paths.out)).toBe(false);
  });

  it('refuses a sub-state output the real state has that is not owned', async () => {
    const o = { value: 'v', type: 'string' };
    const paths = writeStates(dir, stateDoc([], { o }), stateDoc([], { o }));
    await expect(mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned: { resources: [], outputs: [] }, serial: 8, out: paths.out })).rejects.toMatchObject({ code: 'MERGE_CONFLICT', entry: { output: 'o' } });
    expect(existsSync(paths.out)).toBe(false);
  });
});
