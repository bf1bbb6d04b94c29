// Root outputs: owned ones are replaced, added (at their sorted position) or removed as the sub-state says; the
// others are kept byte for byte; `{}` on either side works.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, stateDoc, terraformText, writeStates } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-merge-outputs-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const out = (value: unknown) => ({ value, type: 'string' });

describe('mergeSubState outputs', () => {
  it('replaces, adds and removes owned outputs and keeps the others', async () => {
    const resources = [entry('a', ['a1'])];
    const real = stateDoc(resources, { b: out('old-b'), d: out('d'), f: out('old-f'), x: out('x "}') });
    const sub = stateDoc([], { b: out('new-b'), c: out('new-c'), z: out('new-z') });
    const paths = writeStates(dir, real, sub);
    const summary = await mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned: { resources: [], outputs: ['b', 'c', 'f', 'z'] }, serial: 8, out: paths.out });
    expect(summary.outputs).toEqual({ replaced: 1, added: 2, removed: 1 });
    expect(readFileSync(paths.out, 'utf8')).toBe(terraformText(stateDoc(resources, { b: out('new-b'), c: out('new-c'), d: out('d'), x: out('x "}'), z: out('new-z') }, { serial: 8 })));
  });

  it('adds outputs to an empty outputs object and empties it again', async () => {
    const paths = writeStates(dir, stateDoc([]), stateDoc([], { o: out('1') }));
    await mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned: { resources: [], outputs: ['o'] }, serial: 8, out: paths.out });
    expect(readFileSync(paths.out, 'utf8')).toBe(terraformText(stateDoc([], { o: out('1') }, { serial: 8 })));
    const again = writeStates(dir, stateDoc([], { o: out('1') }), stateDoc([]));
    const summary = await mergeSubState({ real: { path: again.real }, sub: again.sub, owned: { resources: [], outputs: ['o'] }, serial: 9, out: again.out });
    expect(summary.outputs.removed).toBe(1);
    expect(readFileSync(again.out, 'utf8')).toContain('"outputs": {},');
  });
});
