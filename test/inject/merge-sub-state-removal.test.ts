// Owned entries the sub-state no longer holds are removed; removing every entry leaves `"resources": []`, and
// entries with empty instances are replaced and kept like any other.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, keyOf, stateDoc, terraformText, writeStates } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-merge-removal-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('mergeSubState removal', () => {
  it('removes every owned entry the sub-state lacks, down to an empty resources array', async () => {
    const all = [entry('a', ['a1']), entry('b', []), entry('c', ['c1', 'c2'], { module: 'module.q' })];
    const paths = writeStates(dir, stateDoc(all), stateDoc([]));
    const summary = await mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned: { resources: all.map(keyOf), outputs: [] }, serial: 8, out: paths.out });
    expect(summary.resources).toEqual({ replaced: 0, added: 0, removed: 3 });
    const merged = readFileSync(paths.out, 'utf8');
    expect(merged).toContain('"resources": [],');
    expect(merged).toBe(terraformText(stateDoc([], {}, { serial: 8 })));
  });

  it('replaces an entry by one with empty instances and keeps an untouched one with empty instances', async () => {
    const real = stateDoc([entry('a', ['a1']), entry('b', []), entry('c', ['c1'])]);
    const sub = stateDoc([entry('a', [])]);
    const paths = writeStates(dir, real, sub);
    const summary = await mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned: { resources: [keyOf(entry('a', [])), keyOf(entry('c', []))], outputs: [] }, serial: 8, out: paths.out });
    expect(summary.resources).toEqual({ replaced: 1, added: 0, removed: 1 });
    expect(readFileSync(paths.out, 'utf8')).toBe(terraformText(stateDoc([entry('a', []), entry('b', [])], {}, { serial: 8 })));
  });
});
