// The merged state's head: serial is the one given; version, lineage, terraform_version and check_results are the
// real state's, whatever the sub-state says.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mergeSubState } from '../../src/inject/merge-sub-state.js';
import { entry, keyOf, stateDoc, writeStates } from '../support/merge-states.js';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'velocity-merge-head-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('mergeSubState head fields', () => {
  it('sets the serial and keeps lineage, terraform_version and check_results of the real state', async () => {
    const checks = [{ object_kind: 'resource', config_addr: 'terraform_data.a', status: 'pass', objects: null }];
    const real = { ...stateDoc([entry('a', ['a1'])], {}, { serial: 41, lineage: 'real-lineage' }), terraform_version: '1.10.0', check_results: checks };
    const sub = { ...stateDoc([entry('a', ['a2'])], {}, { serial: 3, lineage: 'slice-lineage' }), terraform_version: '1.11.4' };
    const paths = writeStates(dir, real, sub);
    await mergeSubState({ real: { path: paths.real }, sub: paths.sub, owned: { resources: [keyOf(entry('a', []))], outputs: [] }, serial: 42, out: paths.out });
    const merged = JSON.parse(readFileSync(paths.out, 'utf8')) as Record<string, unknown>;
    expect(merged).toMatchObject({ version: 4, serial: 42, lineage: 'real-lineage', terraform_version: '1.10.0', check_results: checks });
    expect(merged['resources']).toEqual(sub.resources);
  });
});
