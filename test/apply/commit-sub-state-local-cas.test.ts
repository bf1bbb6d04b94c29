// Local commit, compare-and-swap: a real state whose serial or lineage moved since the plan is a STATE_MOVED
// naming both serials (and both lineages), with the state file's bytes unchanged, no backup or temp file written
// and the sub-state kept.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitSubState } from '../../src/apply/commit-sub-state.js';
import { entry, keyOf, stateDoc, writeStates } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-commit-cas-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('commitSubState local compare-and-swap', () => {
  it.each([
    ['the serial', { serial: 6, lineage: 'L' }, { expectedSerial: 6, foundSerial: 7, expectedLineage: 'L', foundLineage: 'L' }],
    ['the lineage', { serial: 7, lineage: 'other' }, { expectedSerial: 7, foundSerial: 7, expectedLineage: 'other', foundLineage: 'L' }],
  ])('refuses a state whose %s moved and writes nothing', async (_what, expected, fields) => {
    const paths = writeStates(dir, stateDoc([entry('a', ['a1']), entry('b', ['b1'])], {}, { serial: 7, lineage: 'L' }), stateDoc([entry('a', ['a2'])], {}, { serial: 8, lineage: 'L' }));
    const before = readFileSync(paths.real);
    const sub = readFileSync(paths.sub);
    const error = await commitSubState({
      target: { kind: 'local', path: paths.real, lock: true, lockTimeoutMs: 0 }, expected, subState: paths.sub, sliceSerial: 7,
      owned: { resources: [keyOf(entry('a', []))], outputs: [] }, tmpDir: join(dir, 'tmp'),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STATE_MOVED', exitCode: 1, ...fields, subStatePath: paths.sub });
    expect(readFileSync(paths.real).equals(before)).toBe(true);
    expect(readFileSync(paths.sub).equals(sub)).toBe(true);
    expect(existsSync(`${paths.real}.backup`)).toBe(false);
    expect(readdirSync(dir).sort()).toEqual(['real.tfstate', 'sub.tfstate']);
  });
});
