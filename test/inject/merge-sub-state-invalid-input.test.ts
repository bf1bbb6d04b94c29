// A sub-state that is not a v4 JSON state, or a real state cut short, is a typed error and leaves no output.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, stateDoc, writeStates } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-merge-invalid-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const owned = { resources: [], outputs: [] };

describe('mergeSubState invalid input', () => {
  it.each([
    ['not JSON', '{"version": 4, "resources": [', 'STATE_NOT_JSON'],
    ['an older version', '{"version": 3, "serial": 1, "lineage": "x", "modules": []}', 'STATE_VERSION_TOO_OLD'],
    ['not a state', '[1, 2]', 'STATE_NOT_A_STATE'],
    ['malformed resources', '{"version": 4, "resources": {}}', 'STATE_NOT_A_STATE'],
  ])('refuses a sub-state that is %s', async (_what, text, code) => {
    const paths = writeStates(dir, stateDoc([entry('a', ['a1'])]), stateDoc([]));
    writeFileSync(paths.sub, text);
    await expect(mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned, serial: 8, out: paths.out })).rejects.toMatchObject({ code });
    expect(existsSync(paths.out)).toBe(false);
  });

  it('refuses a real state cut short', async () => {
    const paths = writeStates(dir, stateDoc([entry('a', ['a1']), entry('b', ['b1'])]), stateDoc([]));
    const text = readFileSync(paths.real, 'utf8');
    writeFileSync(paths.real, text.slice(0, text.indexOf('"b1"')));
    await expect(mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned, serial: 8, out: paths.out })).rejects.toMatchObject({ code: 'STATE_TRUNCATED' });
    expect(existsSync(paths.out)).toBe(false);
  });
});
